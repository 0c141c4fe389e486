using System.Security.Cryptography;
using Fanout.Ingest.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Fanout.Ingest.Auth;

/// <summary>
/// The configured API keys, kept as SHA-256 hashes. A presented key is hashed and compared with every configured hash
/// in constant time (<see cref="CryptographicOperations.FixedTimeEquals"/>), so neither its length nor its content
/// shows in the response time.
/// </summary>
/// <remarks>
/// The set starts as the validated <see cref="IngestOptions"/> and follows configuration reloads (an edited
/// <c>appsettings.json</c> or <see cref="IngestOptions.ApiKeysFile"/>): each reload is bound and validated afresh;
/// a valid set replaces the current one at once (requests in flight keep the key they were authenticated with),
/// an invalid one is logged with what is wrong and ignored, so the previous set stays in force. Keys are never logged.
/// It is a hosted service only to be created at start, right after the options were validated, rather than on the
/// first request (by when the configuration may have changed).
/// </remarks>
public sealed class ApiKeyStore : IHostedService, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IHostEnvironment _environment;
    private readonly ILogger<ApiKeyStore> _logger;
    private readonly Lock _reloadLock = new();
    private readonly IDisposable _reloadRegistration;
    private volatile KeySet _current;

    public ApiKeyStore(IOptions<IngestOptions> options, IConfiguration configuration, IHostEnvironment environment, ILogger<ApiKeyStore> logger)
    {
        _configuration = configuration;
        _environment = environment;
        _logger = logger;
        _current = KeySet.From(options.Value);
        WarnAboutPlainKeys(options.Value);
        _reloadRegistration = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <summary>The key that matches <paramref name="presented"/>, or null.</summary>
    public ApiKey? Find(string presented)
    {
        var hash = ApiKeyHash.Of(presented);
        ApiKey? match = null;
        foreach (var key in _current.Keys)
        {
            // Every configured hash is compared, so the time does not tell which one (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match ??= key;
            }
        }

        return match;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _reloadRegistration.Dispose();

    private void Reload()
    {
        lock (_reloadLock)
        {
            try
            {
                var options = new IngestOptions();
                IngestOptions.Bind(_configuration.GetSection(IngestOptions.SectionName), options);
                var errors = options.ValidateKeys().ToList();
                if (errors.Count > 0)
                {
                    IngestLog.ApiKeysReloadRejected(_logger, _current.Keys.Length, string.Join(" ", errors));
                    return;
                }

                var next = KeySet.From(options);
                if (next.Fingerprint == _current.Fingerprint)
                {
                    return; // another setting changed, or a second change event for the same edit
                }

                _current = next;
                IngestLog.ApiKeysReloaded(_logger, next.Keys.Length, string.Join(", ", next.Keys.Select(k => k.Name)));
                WarnAboutPlainKeys(options);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
            {
                // A value the binder cannot convert (e.g. RequestsPerSecond: "fast"); its message names the setting.
                IngestLog.ApiKeysReloadRejected(_logger, _current.Keys.Length, ex.Message);
            }
        }
    }

    private void WarnAboutPlainKeys(IngestOptions options)
    {
        if (_environment.IsDevelopment())
        {
            return;
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            if (!string.IsNullOrEmpty(options.ApiKeys[i].Key))
            {
                IngestLog.PlainApiKey(_logger, options.ApiKeys[i].Name, $"{IngestOptions.SectionName}:ApiKeys:{i}");
            }
        }
    }

    private sealed record KeySet(ApiKey[] Keys, string Fingerprint)
    {
        public static KeySet From(IngestOptions options)
        {
            var keys = options.ApiKeys
                .Select(k => new ApiKey(
                    k.Name,
                    ApiKeyHash.Of(k),
                    k.Rooms.ToArray(),
                    new ApiKeyLimit(k.Name, k.RequestsPerSecond ?? options.RateLimit.RequestsPerSecond, k.Burst ?? options.RateLimit.Burst),
                    k.AllowDestructive))
                .ToArray();
            var fingerprint = string.Join("\n", keys.Select(k =>
                $"{k.Name}|{Convert.ToHexString(k.Hash)}|{string.Join(",", k.Rooms)}|{k.Limit.RequestsPerSecond}|{k.Limit.Burst}|{k.AllowDestructive}"));
            return new KeySet(keys, fingerprint);
        }
    }
}
