using System.Text;

namespace DocStore.Bench.Corpus;

/// <summary>
/// Realistic synthetic documents, seeded and reproducible: a vocabulary of 20,000 pronounceable
/// words drawn with Zipf's law (s = 1.05, like natural text: a few very common words, a long tail
/// of rare ones), sentences and paragraphs of varied length around a target size, titles, a skewed
/// type mix, tags from a Zipf-distributed pool, and metadata.
/// </summary>
public sealed class SyntheticCorpus
{
    public const int VocabularySize = 20_000;

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ren", "tor", "sa", "vel", "qui", "dra", "pen", "ux", "ba", "cor", "den", "fi", "gal",
        "hu", "jin", "kel", "lum", "mar", "nor", "ost", "pra", "rix", "sol", "tan", "ul", "vor", "wen", "xi", "yar",
        "zen", "ab", "ek", "im", "on", "us", "bri", "clo", "fra", "gro", "ple", "stu", "tri", "que", "sha", "tho",
    ];

    private static readonly (string Type, int Weight)[] TypeWeights =
        [("reference", 30), ("api", 20), ("tutorial", 15), ("guide", 15), ("note", 10), ("faq", 5), ("changelog", 5)];

    private static readonly string[] Teams = ["core", "docs", "platform", "storage", "search", "web", "mobile", "infra", "data", "security"];

    private readonly string[] _words;
    private readonly ZipfSampler _wordSampler;
    private readonly ZipfSampler _tagSampler;
    private readonly string[] _tags;
    private readonly int _size;
    private readonly int _seed;

    public SyntheticCorpus(int seed, int sizeBytes)
    {
        _seed = seed;
        _size = Math.Max(64, sizeBytes);
        var random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < VocabularySize)
        {
            var builder = new StringBuilder();
            var syllables = 1 + random.Next(4);
            for (var i = 0; i < syllables; i++)
            {
                builder.Append(Syllables[random.Next(Syllables.Length)]);
            }

            words.Add(builder.ToString());
        }

        // Short words are the common ones, as in natural language.
        _words = words.OrderBy(w => w.Length).ThenBy(_ => random.Next()).ToArray();
        _wordSampler = new ZipfSampler(_words.Length, 1.05);
        _tags = _words.Skip(300).Take(300).ToArray();
        _tagSampler = new ZipfSampler(_tags.Length, 0.9);
        Types = TypeWeights.Select(t => t.Type).ToArray();
    }

    public IReadOnlyList<string> Types { get; }

    /// <summary>The <paramref name="index"/>-th document: the same index always gives the same document.</summary>
    public NewDocument Document(int index)
    {
        var random = new Random(HashCode.Combine(_seed, index));
        var target = (int)(_size * (0.5 + random.NextDouble()));
        var content = new StringBuilder(target + 64);
        while (content.Length < target)
        {
            var sentences = 2 + random.Next(5);
            for (var s = 0; s < sentences && content.Length < target; s++)
            {
                var length = 6 + random.Next(16);
                for (var w = 0; w < length; w++)
                {
                    var word = _words[_wordSampler.Next(random)];
                    if (w == 0)
                    {
                        content.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
                    }
                    else
                    {
                        content.Append(' ').Append(word);
                    }
                }

                content.Append(". ");
            }

            content.Append("\n\n");
        }

        var titleWords = Enumerable.Range(0, 2 + random.Next(5)).Select(_ => _words[100 + _wordSampler.Next(random) % (_words.Length - 100)]);
        var title = string.Join(' ', titleWords);
        var tagCount = random.Next(6);
        var tags = Enumerable.Range(0, tagCount).Select(_ => _tags[_tagSampler.Next(random)]).ToArray();
        return new NewDocument
        {
            Title = char.ToUpperInvariant(title[0]) + title[1..],
            Type = PickType(random),
            Content = content.ToString().TrimEnd(),
            Format = random.Next(4) == 0 ? "plain" : "markdown",
            Language = random.Next(10) == 0 ? null : "en",
            SourcePath = $"docs/{index / 1000}/{index}.md",
            Tags = tags,
            Metadata = $"{{\"team\":\"{Teams[random.Next(Teams.Length)]}\",\"priority\":{random.Next(5)},\"public\":{(random.Next(2) == 0 ? "true" : "false")},\"revision\":{random.Next(100)}}}",
        };
    }

    private static string PickType(Random random)
    {
        var roll = random.Next(100);
        foreach (var (type, weight) in TypeWeights)
        {
            if (roll < weight)
            {
                return type;
            }

            roll -= weight;
        }

        return TypeWeights[0].Type;
    }
}
