namespace Fanout.Ingest.Requests;

/// <summary>
/// Why a request is refused: the HTTP status, a detail saying what to fix, and for batch and broadcast
/// requests the index of the offending item (problem details extension <c>index</c>).
/// </summary>
public sealed record RequestError(int Status, string Detail, int? Index = null)
{
    public static RequestError BadRequest(string detail, int? index = null) => new(StatusCodes.Status400BadRequest, detail, index);

    public static RequestError Forbidden(string detail, int? index = null) => new(StatusCodes.Status403Forbidden, detail, index);

    public static RequestError TooLarge(string detail, int? index = null) => new(StatusCodes.Status413PayloadTooLarge, detail, index);

    public static RequestError UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, detail);
}
