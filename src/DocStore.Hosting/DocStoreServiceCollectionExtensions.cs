using System.Diagnostics.Metrics;
using DocStore;
using DocStore.Fast;
using DocStore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers DocStore in a service collection (Generic Host, ASP.NET Core).</summary>
public static class DocStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers one store for the application: <see cref="OptimizedStorageSystem"/> as a singleton opened on
    /// first use and disposed on shutdown (access counts flushed), <see cref="IDocumentStore"/> as that store
    /// with tracing, metrics and slow-call logging, options bound from <paramref name="configuration"/> (the
    /// <c>DocStore</c> section of it when it has one) then <paramref name="configure"/>, validated when the
    /// host starts, and the scheduled maintenance service.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">Configuration to bind: the root (its <c>DocStore</c> section is used) or the section itself; null for none.</param>
    /// <param name="configure">Settings applied after configuration; null for none.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddDocStore(this IServiceCollection services, IConfiguration? configuration = null, Action<DocStoreHostOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<DocStoreHostOptions>();
        if (configuration is not null)
        {
            var section = configuration.GetSection(DocStoreHostOptions.SectionName);
            builder.Bind(section.Exists() ? section : configuration);
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        builder.ValidateOnStart();
        services.AddSingleton<IValidateOptions<DocStoreHostOptions>>(sp => new DocStoreHostOptionsValidator(ContentRoot(sp)));
        services.TryAddSingleton(sp => new DocStoreMeter(sp.GetService<IMeterFactory>()));
        services.TryAddSingleton(sp => Open(sp));
        services.TryAddSingleton<IDocumentStore>(sp => new InstrumentedDocumentStore(
            sp.GetRequiredService<OptimizedStorageSystem>(),
            sp.GetRequiredService<DocStoreMeter>().Meter,
            Logger(sp, "DocStore.Hosting"),
            sp.GetRequiredService<IOptions<DocStoreHostOptions>>().Value.SlowOperationThreshold));
        services.AddHostedService<DocStoreMaintenanceService>();
        return services;
    }

    /// <summary>Registers DocStore configured by <paramref name="configure"/> alone.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">The settings.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddDocStore(this IServiceCollection services, Action<DocStoreHostOptions> configure) =>
        services.AddDocStore(null, configure);

    private static OptimizedStorageSystem Open(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<DocStoreHostOptions>>().Value;
        var contentRoot = ContentRoot(services);
        var actors = services.GetService<IDocStoreActorProvider>();
        var fallback = settings.DefaultActor;
        Func<string>? actor = actors is null ? () => fallback : () => actors.GetCurrentActor() ?? fallback;
        var loggers = services.GetService<ILoggerFactory>();
        var options = settings.ToStoreOptions(contentRoot, loggers, actor);
        if (options.Engine == DocStoreEngine.Sqlite && Path.GetDirectoryName(options.DatabasePath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var store = new OptimizedStorageSystem(options);
        Log.Opened(Logger(services, "DocStore.Hosting"), store.DatabasePath, store.FastPathEnabled);
        return store;
    }

    private static string ContentRoot(IServiceProvider services) =>
        services.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory();

    private static ILogger Logger(IServiceProvider services, string category) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
