using System.Diagnostics.Metrics;

namespace DocStore.Hosting;

/// <summary>
/// The host's <c>DocStore</c> meter, from the container's <see cref="IMeterFactory"/> when there is one (so
/// metrics tests and OpenTelemetry see it scoped to this host), else a meter of its own.
/// </summary>
internal sealed class DocStoreMeter(IMeterFactory? factory) : IDisposable
{
    private readonly bool _owned = factory is null;

    public Meter Meter { get; } = factory?.Create(DocStoreInstrumentation.Name) ?? new Meter(DocStoreInstrumentation.Name);

    public void Dispose()
    {
        if (_owned)
        {
            Meter.Dispose();
        }
    }
}
