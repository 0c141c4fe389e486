using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Realtime.Auth;

/// <summary>
/// The signing keys an identity provider publishes (<see cref="JwtOptions.Authority"/>'s discovery document, or a
/// <see cref="JwtOptions.JwksUrl"/>), fetched on first use and cached by IdentityModel's configuration manager:
/// refetched every <see cref="JwtOptions.KeysRefreshMinutes"/>, and when a token names a key id that is not cached
/// (a key rotation) at most every <see cref="JwtOptions.KeysRefetchCooldownSeconds"/>. The same rules as for
/// configured public keys hold: an RSA key (at least <see cref="JwtSigningKeys.MinimumRsaKeyBits"/> bits) verifies
/// RS256 only, an EC P-256 key ES256 only; keys for encryption, of other types or curves, or whose <c>alg</c> does
/// not fit their type are ignored.
/// </summary>
public sealed class JwtIssuerKeys : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConfigurationManager<OpenIdConnectConfiguration> _manager;
    private OpenIdConnectConfiguration? _seen;
    private IssuerKeySet _set = IssuerKeySet.Empty;

    public JwtIssuerKeys(JwtOptions options)
    {
        var documents = new HttpDocumentRetriever(_http) { RequireHttps = options.RequireHttpsMetadata };
        var (address, retriever) = !string.IsNullOrWhiteSpace(options.Authority)
            ? (options.Authority.TrimEnd('/') + "/.well-known/openid-configuration",
                (IConfigurationRetriever<OpenIdConnectConfiguration>)new OpenIdConnectConfigurationRetriever())
            : (options.JwksUrl!, new JwksRetriever());
        _manager = new ConfigurationManager<OpenIdConnectConfiguration>(address, retriever, documents)
        {
            AutomaticRefreshInterval = TimeSpan.FromMinutes(options.KeysRefreshMinutes),
            RefreshInterval = TimeSpan.FromSeconds(options.KeysRefetchCooldownSeconds),
        };
    }

    /// <summary>The cached keys (fetched first when there are none yet); throws when they cannot be had.</summary>
    public async Task<IssuerKeySet> GetAsync(CancellationToken cancellationToken)
    {
        var configuration = await _manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(configuration, _seen))
        {
            _set = IssuerKeySet.From(configuration);
            _seen = configuration;
        }

        return _set;
    }

    /// <summary>Asks for the keys to be fetched again (no more often than the cooldown allows).</summary>
    public void RequestRefresh() => _manager.RequestRefresh();

    public void Dispose() => _http.Dispose();

    /// <summary>Reads a bare JWKS document into a configuration that holds only its keys.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var json = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
            return new OpenIdConnectConfiguration { JsonWebKeySet = new JsonWebKeySet(json) };
        }
    }
}
