namespace DocStore.Notes.Security;

/// <summary>A folder import the server's configuration does not allow (answered with 403).</summary>
internal sealed class ImportRefusedException(string message) : Exception(message);
