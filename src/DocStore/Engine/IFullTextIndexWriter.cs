using System.Data.Common;
using DocStore.Writes;

namespace DocStore.Engine;

/// <summary>Keeps the engine's full-text index in step with the documents, inside each write group's transaction.</summary>
internal interface IFullTextIndexWriter : IDisposable
{
    /// <summary>Applies a write's index changes in order, in <paramref name="transaction"/>.</summary>
    void Apply(IReadOnlyList<IndexChange> changes, DbTransaction transaction);
}
