using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace DocStore.Tests.Infrastructure;

/// <summary>
/// Binds the bundled (non-encrypting) SQLite before any test runs, so this test process always
/// uses it; SQLCipher is exercised by DocStore.Encryption.Tests in a process of its own.
/// </summary>
internal static class PlainSqliteSetup
{
    [ModuleInitializer]
    internal static void Initialize()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
    }
}
