using System.Diagnostics;

namespace DocStore;

/// <summary>Key rotation of an encrypted store.</summary>
public sealed partial class LocalStorageSystem
{
    /// <inheritdoc />
    public async Task RotateKeyAsync(EncryptionKey newKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        ThrowIfDisposed();
        if (Options.Engine != DocStoreEngine.Sqlite)
        {
            throw new NotSupportedException($"The {Options.Engine} engine keeps no key of its own: encrypt the server's storage (disk encryption) and reach it over TLS.");
        }

        if (!_engine.Encrypted)
        {
            throw new InvalidOperationException("This store is not encrypted; make an encrypted copy with StoreEncryption.EncryptExistingAsync instead.");
        }

        var started = Stopwatch.GetTimestamp();
        var actor = _pipeline.CurrentActor();

        // The engine rekeys with no other connection open: hold writes (the pipeline's lock), let reads in flight
        // finish and hold new ones, close every reader (the fast path's too), then rekey.
        await _pipeline.ExclusiveAsync(
            "The key rotation",
            async writer =>
            {
                await _readGate.CloseAsync().ConfigureAwait(false);
                var suspended = new List<Action>();
                try
                {
                    foreach (var (suspend, resume) in _quiesceHooks)
                    {
                        await suspend().ConfigureAwait(false);
                        suspended.Add(resume);
                    }

                    _engine.RotateKey(writer, newKey);
                    _pipeline.AuditAlone(AuditOperation.RotateKey, null, actor, AuditOutcome.Success, null, (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                    return true;
                }
                finally
                {
                    foreach (var resume in suspended)
                    {
                        resume();
                    }

                    _readGate.Open();
                }
            },
            cancellationToken).ConfigureAwait(false);
    }
}
