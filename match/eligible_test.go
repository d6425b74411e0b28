package match

import (
	"testing"

	"sufficiency/care"
)

// HasEligible answers as Search's Eligible > 0 does, for referrals with and
// without an eligible home, the first time (searching) and again (from the
// index's memory); a referral whose home cannot be located is EINVALID.
func TestHasEligibleAsSearch(t *testing.T) {
	ix, refs := rankReferrals(t)
	// Some referrals no home can meet: every type unsuitable, or needs no
	// home lists.
	none := refs[0]
	none.ID, none.Foster, none.Residential, none.Supported = "none-types", care.SuitabilityUnsuitable, care.SuitabilityUnsuitable, care.SuitabilityUnsuitable
	rare := refs[1]
	rare.ID, rare.NeedCodes = "none-needs", []string{"NO-SUCH-NEED"}
	refs = append(refs, none, rare)
	with, without := 0, 0
	for pass := 0; pass < 2; pass++ {
		for _, ref := range refs {
			res, err := ix.Search(ref, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := ix.HasEligible(ref)
			if err != nil {
				t.Fatal(err)
			}
			if got != (res.Eligible > 0) {
				t.Fatalf("pass %d, referral %s: HasEligible %v, Search finds %d eligible", pass, ref.ID, got, res.Eligible)
			}
			if pass == 0 && got {
				with++
			} else if pass == 0 {
				without++
			}
		}
	}
	if with == 0 || without < 2 {
		t.Errorf("%d referrals with an eligible home, %d without: the test needs both", with, without)
	}
	bad := refs[0]
	bad.HomePostcode = "ZZ99 9ZZ"
	if _, err := ix.HasEligible(bad); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("unlocatable home: %v, want EINVALID", err)
	}
}
