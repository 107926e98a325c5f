using DocStore.Fast;
using DocStore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds DocStore's health check to a health checks builder.</summary>
public static class DocStoreHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check that the store answers (unhealthy if not) and that its background work and read pool keep
    /// up (degraded if not). Needs <c>services.AddDocStore(...)</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">Status reported when the store does not answer; null for unhealthy.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddDocStore(this IHealthChecksBuilder builder, string name = "docstore", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // One instance for the application: it remembers the counters of the previous check ("since the last
        // check"), and the health check service would otherwise build a new one for every check.
        builder.Services.TryAddSingleton(sp => new DocStoreHealthCheck(sp.GetRequiredService<OptimizedStorageSystem>()));
        return builder.Add(new HealthCheckRegistration(name, sp => sp.GetRequiredService<DocStoreHealthCheck>(), failureStatus, tags));
    }
}
