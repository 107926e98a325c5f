using DocStore.Fast;
using DocStore.Hosting;
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
        return builder.Add(new HealthCheckRegistration(name, sp => new DocStoreHealthCheck(sp.GetRequiredService<OptimizedStorageSystem>()), failureStatus, tags));
    }
}
