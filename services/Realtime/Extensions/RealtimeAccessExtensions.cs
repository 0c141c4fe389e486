using Fanout.Realtime.Auth;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Hubs;
using Fanout.Realtime.Limits;
using Fanout.Realtime.Options;
using Fanout.ServiceDefaults;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.Realtime.Extensions;

public static class RealtimeAccessExtensions
{
    /// <summary>
    /// What a connection may do once connected: room permissions from token claims (<c>Auth:Permissions</c>), the
    /// per-connection and per-user limits (<c>Realtime:Limits</c>), both enforced by <see cref="RoomAccessFilter"/> on
    /// every hub, and CORS for browser origins (<c>Realtime:Cors</c>, off unless origins are listed).
    /// </summary>
    public static IServiceCollection AddRealtimeAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoomPermissionsOptions>().Bind(configuration.GetSection(RoomPermissionsOptions.SectionName));
        services.TryAddSingleton<RoomPermissions>();
        services.AddValidatedOptions<ConnectionLimitsOptions>(ConnectionLimitsOptions.SectionName);

        // The limits count what each connection holds in its record, which the outboxes' lifetime manager makes.
        services.AddConnectionOutboxes();
        services.TryAddSingleton<ConnectionLimiter>();
        services.TryAddSingleton<RoomAccessFilter>();
        services.Configure<HubOptions>(hub => hub.AddFilter<RoomAccessFilter>());

        var cors = configuration.GetSection(RealtimeCorsOptions.SectionName).Get<RealtimeCorsOptions>() ?? new RealtimeCorsOptions();
        var origins = cors.AllowedOrigins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')).ToArray();
        if (origins.Length > 0)
        {
            services.AddCors(options => options.AddPolicy(RealtimeCorsOptions.PolicyName, policy => policy
                .WithOrigins(origins)
                .AllowAnyHeader()
                .WithMethods("GET", "POST")
                .AllowCredentials()));
        }

        return services;
    }

    /// <summary>CORS for the listed origins, when any are (call before <c>UseAuthentication</c>, so preflights need no token).</summary>
    public static IApplicationBuilder UseRealtimeCors(this IApplicationBuilder app)
    {
        var cors = app.ApplicationServices.GetRequiredService<IConfiguration>().GetSection(RealtimeCorsOptions.SectionName)
            .Get<RealtimeCorsOptions>();
        if (cors is not null && cors.AllowedOrigins.Any(o => !string.IsNullOrWhiteSpace(o)))
        {
            app.UseCors(RealtimeCorsOptions.PolicyName);
        }

        return app;
    }
}
