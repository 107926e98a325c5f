namespace DocStore;

/// <summary>How <see cref="IDocumentStore.DeleteAsync"/> deletes.</summary>
public enum DeleteMode
{
    /// <summary>Set the status to <see cref="DocumentStatus.Deleted"/>: hidden from reads, kept with its history, restorable.</summary>
    Soft = 0,

    /// <summary>Remove the document, its versions, tags and index entries. The audit log keeps the record.</summary>
    Hard = 1,
}
