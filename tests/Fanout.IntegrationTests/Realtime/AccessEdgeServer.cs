using System.Security.Cryptography;
using Fanout.Testing.SignalR;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// An <see cref="EdgeServer"/> that also accepts RS256 (key in configuration as PEM, with a key id) and ES256 (key in a
/// PEM file) tokens, has small limits, no clock skew, and CORS for <see cref="AllowedOrigin"/>.
/// </summary>
public sealed class AccessEdgeServer : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example.com";
    public const string RsaKeyId = "rsa-1";

    private readonly string _ecKeyFile = Path.Combine(Path.GetTempPath(), $"fanout-es256-{Guid.NewGuid():N}.pem");

    public AccessEdgeServer()
    {
        File.WriteAllText(_ecKeyFile, Ec.ExportSubjectPublicKeyInfoPem());
        Server = new EdgeServer(new Dictionary<string, string?>
        {
            ["Auth:Jwt:PublicKeys:0:Key"] = Rsa.ExportSubjectPublicKeyInfoPem(),
            ["Auth:Jwt:PublicKeys:0:KeyId"] = RsaKeyId,
            ["Auth:Jwt:PublicKeys:1:Key"] = _ecKeyFile,
            ["Auth:Jwt:ClockSkewSeconds"] = "0",
            ["Realtime:Limits:PublishPerSecond"] = "2",
            ["Realtime:Limits:PublishBurst"] = "3",
            ["Realtime:Limits:SubscribeBurst"] = "10",
            ["Realtime:Limits:MaxSubscriptionsPerConnection"] = "3",
            ["Realtime:Limits:MaxConnectionsPerUser"] = "2",
            ["Realtime:Cors:AllowedOrigins:0"] = AllowedOrigin,
        });
    }

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public EdgeServer Server { get; }

    public SigningCredentials RsaCredentials => new(new RsaSecurityKey(Rsa) { KeyId = RsaKeyId }, SecurityAlgorithms.RsaSha256);

    public SigningCredentials EcCredentials => new(new ECDsaSecurityKey(Ec), SecurityAlgorithms.EcdsaSha256);

    /// <summary>An HS256 token for <paramref name="sub"/> with exactly <paramref name="claims"/> as permission claims.</summary>
    public static string TokenWith(string sub, IReadOnlyDictionary<string, object> claims, TimeSpan? lifetime = null) =>
        TestTokens.Create(sub, EdgeServer.SigningKey, lifetime, claims: claims);

    public Task InitializeAsync() => Server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        File.Delete(_ecKeyFile);
        Rsa.Dispose();
        Ec.Dispose();
    }
}
