using DocStore.Fast.Caching;

namespace DocStore.Tests.Fast;

/// <summary>L1's admission rule on its own: recent reads from the database, weighed against the last evicted document's.</summary>
public sealed class CacheAdmissionTest
{
    [Fact]
    public void WhenNothingWasEvictedThenTheThirdReadAdmits()
    {
        var admission = new CacheAdmission(100);
        for (var read = 1; read < CacheAdmission.ReadsToAdmit; read++)
        {
            Assert.False(admission.Admit(8));
        }

        Assert.True(admission.Admit(8));
        Assert.Equal(CacheAdmission.ReadsToAdmit - 1, admission.Declined);
    }

    [Fact]
    public void WhenADocumentWasEvictedThenACandidateMustBeReadMoreOftenThanIt()
    {
        var admission = new CacheAdmission(100);
        const int victimReads = CacheAdmission.ReadsToAdmit + 3;
        for (var read = 0; read < victimReads; read++)
        {
            admission.Admit(7);
        }

        admission.Evicted(7);

        // As often as the victim is not enough: it would only push out a document as worth keeping.
        for (var read = 1; read <= victimReads; read++)
        {
            Assert.False(admission.Admit(8));
        }

        Assert.True(admission.Admit(8));
    }

    [Fact]
    public void WhenTheVictimIsReadAgainThenItIsNotWeighedAgainstItself()
    {
        var admission = new CacheAdmission(100);
        for (var read = 0; read < CacheAdmission.ReadsToAdmit + 5; read++)
        {
            admission.Admit(7);
        }

        admission.Evicted(7);

        // Otherwise a victim that turned hot could never come back (nor could anything read less often than it).
        Assert.True(admission.Admit(7));
    }

    [Fact]
    public void WhenTheVictimIsReadOnlyOnceThenTheFloorStillHolds()
    {
        var admission = new CacheAdmission(100);
        admission.Admit(7);
        admission.Evicted(7);
        for (var read = 1; read < CacheAdmission.ReadsToAdmit; read++)
        {
            Assert.False(admission.Admit(8));
        }

        Assert.True(admission.Admit(8));
    }
}
