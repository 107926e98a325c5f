namespace DocStore.Notes;

/// <summary>The app's own settings (configuration section <c>Notes</c>); the store's are in <c>DocStore</c>.</summary>
internal sealed class NotesOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Notes";

    /// <summary>
    /// Folders on the server below which <c>POST /api/import/folder</c> may read (canonical paths: links are
    /// resolved before the check, for the folder asked for and for every file found in it). Empty, the
    /// default: folder import is off.
    /// </summary>
    public List<string> ImportRoots { get; init; } = [];

    /// <summary>
    /// Users and their API keys (name to key). When any is set, every API call needs one: as
    /// <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>, or from the page, a session cookie that
    /// <c>POST /api/session</c> gives for a key. The audit log's actor is then the user's name. Empty, the
    /// default: no sign-in (keep the app on loopback then), and the actor is the store's configured default.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; init; } = [];

    /// <summary>Show images from other sites in rendered notes (off by default: a remote image tells its site who read the note).</summary>
    public bool AllowRemoteImages { get; init; }

    /// <summary>Whether sign-in is required.</summary>
    public bool SignInRequired => ApiKeys.Count > 0;
}
