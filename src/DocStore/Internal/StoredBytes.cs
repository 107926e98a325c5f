namespace DocStore.Internal;

/// <summary>
/// UUIDs and content hashes are stored as blobs (16 and 32 bytes, where their text took 36 and 64 in every row and
/// index entry). A UUID's bytes are in RFC 9562 order, so <c>hex(uuid)</c> in the sqlite3 shell reads as the UUID.
/// Every writer and reader converts through here.
/// </summary>
internal static class StoredBytes
{
    public static byte[] FromUuid(Guid uuid) => uuid.ToByteArray(bigEndian: true);

    public static Guid ToUuid(byte[] bytes) => new(bytes, bigEndian: true);

    /// <summary>A content hash (<see cref="Validation.DocumentValidator.ContentHash"/>'s lowercase hex) as stored.</summary>
    public static byte[] FromHash(string hex) => Convert.FromHexString(hex);

    public static string ToHash(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
