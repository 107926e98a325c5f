namespace DocStore.Internal;

/// <summary>
/// UUIDs are stored as lowercase text. Every writer and reader goes through here, because
/// Microsoft.Data.Sqlite binds a <see cref="Guid"/> parameter as a BLOB, which would never match.
/// </summary>
internal static class UuidText
{
    public static string Format(Guid uuid) => uuid.ToString("D");

    public static Guid Parse(string text) => Guid.ParseExact(text, "D");
}
