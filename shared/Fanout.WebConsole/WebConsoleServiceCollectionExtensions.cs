using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Fanout.WebConsole;

public static class WebConsoleServiceCollectionExtensions
{
    /// <summary>
    /// The console's settings (<c>Console:*</c>, validated at start), its static files and the development-only demo
    /// token issuer. <see cref="WebConsoleEndpoints.MapFanoutConsole"/> serves them.
    /// </summary>
    public static IServiceCollection AddFanoutConsole(this IServiceCollection services)
    {
        services.AddOptions<WebConsoleOptions>()
            .BindConfiguration(WebConsoleOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConsoleAssets>();
        services.TryAddSingleton<DemoTokenIssuer>();
        return services;
    }
}
