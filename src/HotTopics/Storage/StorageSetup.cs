using HotTopics.Items;

namespace HotTopics.Storage;

public static class StorageSetup
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Database>();
        builder.Services.AddSingleton<Migrator>();
        builder.Services.AddSingleton<ItemStore>();
        builder.Services.AddSingleton<ItemMentionStore>();
        builder.Services.AddSingleton<ItemImporter>();
        builder.Services.AddSingleton<DemoSeeder>();
        return builder;
    }
}
