namespace HotTopics.Search;

public static class SearchSetup
{
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>()
            .Bind(builder.Configuration.GetSection(SearchOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DocFacts>();
        builder.Services.AddSingleton<SearchIndex>();
        builder.Services.AddSingleton<SearchService>();
        return builder;
    }
}
