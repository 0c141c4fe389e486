using System.ComponentModel.DataAnnotations;

namespace Fanout.WebConsole;

/// <summary>
/// The web console and the demo page (section <c>Console</c>). Everything here is public: the pages read it from
/// <c>/console/config.json</c> without signing in.
/// </summary>
public sealed class WebConsoleOptions : IValidatableObject
{
    public const string SectionName = "Console";

    /// <summary>The hub URL the pages use when <see cref="HubUrls"/> lists none: the same origin (embedded mode).</summary>
    public const string SameOriginHubUrl = "/hubs/rooms";

    /// <summary>
    /// Hub URLs of the realtime nodes, tried in turn by the pages' client (fail over): absolute <c>http(s)://…/hubs/rooms</c>
    /// URLs of other origins (whose nodes must allow this origin: <c>Realtime:Cors:AllowedOrigins</c>), or paths of
    /// this origin. None: <see cref="SameOriginHubUrl"/>. The Content-Security-Policy allows connections to these only.
    /// </summary>
    public List<string> HubUrls { get; set; } = [];

    /// <summary>The hub URLs in effect: <see cref="HubUrls"/>, or the same-origin one when it lists none.</summary>
    public IReadOnlyList<string> EffectiveHubUrls => HubUrls.Count > 0 ? HubUrls : [SameOriginHubUrl];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < HubUrls.Count; i++)
        {
            var url = HubUrls[i];
            var valid = url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
                || Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" && absolute.UserInfo.Length == 0;
            if (!valid || url.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"'))
            {
                yield return new ValidationResult(
                    $"{SectionName}:{nameof(HubUrls)}:{i} = '{url}' must be an absolute http(s) URL (http://node:5070/hubs/rooms) or a path of this origin (/hubs/rooms)",
                    [nameof(HubUrls)]);
            }
        }
    }
}
