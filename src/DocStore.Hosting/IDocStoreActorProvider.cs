namespace DocStore.Hosting;

/// <summary>
/// Names who is writing, for the audit log: register one (for example the signed-in user of the current
/// HTTP request) and every write the store makes through the host records it.
/// </summary>
public interface IDocStoreActorProvider
{
    /// <summary>The current actor, or null to use <see cref="DocStoreHostOptions.DefaultActor"/>.</summary>
    string? GetCurrentActor();
}
