namespace DocStore;

/// <summary>Verification of the open store's file, on a connection of its own.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task<VerificationReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        using var gate = await EnterReadAsync().ConfigureAwait(false);
        return await Task.Run(
            () => _engine.Verify(cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }
}
