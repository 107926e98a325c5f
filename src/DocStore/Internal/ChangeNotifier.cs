using Microsoft.Extensions.Logging;

namespace DocStore.Internal;

/// <summary>Raises <see cref="IDocumentStore.DocumentChanged"/> to each handler in turn; one that throws is logged and does not stop the rest.</summary>
internal static class ChangeNotifier
{
    public static void Raise(EventHandler<DocumentChangedEventArgs>? handlers, object sender, DocumentChangedEventArgs args, ILogger logger)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<DocumentChangedEventArgs>)handler)(sender, args);
            }
#pragma warning disable CA1031 // The write has committed; one faulty subscriber must not make it look failed or starve the others.
            catch (Exception e)
#pragma warning restore CA1031
            {
                logger.LogError(e, "A DocumentChanged handler threw; the write had already committed.");
            }
        }
    }
}
