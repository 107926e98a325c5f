using Microsoft.Extensions.Options;

namespace DocStore.Hosting;

/// <summary>
/// Start-up validation of <see cref="DocStoreHostOptions"/>: the store's own rules
/// (<see cref="DocStoreOptions.GetValidationErrors"/>) plus the host's, each message naming the setting
/// as it is spelled in configuration.
/// </summary>
internal sealed class DocStoreHostOptionsValidator(string contentRoot) : IValidateOptions<DocStoreHostOptions>
{
    public ValidateOptionsResult Validate(string? name, DocStoreHostOptions options)
    {
        var errors = new List<string>();
        if (options.Engine == DocStoreEngine.Sqlite && string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:DatabasePath must be set (the path of the database file).");
        }
        else if (options.Engine == DocStoreEngine.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:ConnectionString must be set (the PostgreSQL connection string).");
        }
        else if (options.EncryptionKeyFile is { Length: > 0 } keyFile && !File.Exists(Path.Combine(contentRoot, keyFile)))
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:EncryptionKeyFile '{keyFile}' does not exist.");
        }
        else
        {
            errors.AddRange(options.ToStoreOptions(contentRoot, null, null, readKey: false).GetValidationErrors().Select(e => $"{DocStoreHostOptions.SectionName}:{e}"));
        }

        if (options.SlowOperationThreshold < TimeSpan.Zero)
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:SlowOperationThreshold must not be negative.");
        }

        if (options.CheckpointInterval < TimeSpan.Zero || options.OptimizeInterval < TimeSpan.Zero)
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:CheckpointInterval and OptimizeInterval must not be negative (zero turns the task off).");
        }

        if (string.IsNullOrWhiteSpace(options.DefaultActor))
        {
            errors.Add($"{DocStoreHostOptions.SectionName}:DefaultActor must not be empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
