namespace Fanout.Ingest.Requests;

/// <summary>Either a parsed body or why the request is refused.</summary>
public readonly record struct BodyReadResult(JsonRequestBody? Body, RequestError? Error)
{
    public static implicit operator BodyReadResult(RequestError error) => new(null, error);
}
