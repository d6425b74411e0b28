package review

import (
	"strings"
	"testing"

	"sufficiency/care"
)

// TestParseRulesSaysWhatIsWrong: a rules file that does not decode is
// described in words naming the field and the JSON type it should be.
func TestParseRulesSaysWhatIsWrong(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"Empty", ``, "the file is empty"},
		{"Unclosed", `{"rules": [`, "the text ends too early"},
		{"NotJSON", `{"rules": x}`, "it is not JSON (error at byte 11)"},
		{"RulesNotList", `{"rules": "step-down"}`, "rules should be a JSON list, not string"},
		{"TopLevelNotObject", `[1]`, "the top level should be a JSON object, not array"},
		{"IDNotString", `{"rules": [{"id": 3}]}`, "rules.id should be a JSON string, not number"},
		{"WeightNotNumber", `{"rules": [{"id": "a", "weight": "heavy"}]}`, "rules.weight should be a JSON number, not string"},
		{"ParamsNotObject", `{"rules": [{"id": "a", "params": [1]}]}`, "rules.params should be a JSON object, not array"},
		{"FlagNotBool", `{"rules": [{"id": "a", "params": {"include_unknown_tier": 1}}]}`, "should be a JSON true or false, not number"},
		{"UnknownField", `{"rules": [{"id": "a", "colour": "red"}]}`, `"colour" is not a rule field`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tc.in))
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v; want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func TestTierName(t *testing.T) {
	for tier, want := range map[care.NeedsTier]string{
		care.TierStandard: "standard (tier 1)", care.TierEnhanced: "enhanced (tier 2)",
		care.TierComplex: "complex (tier 3)", care.TierHighly: "highly complex (tier 4)", 0: "tier not recorded",
	} {
		if got := tierName(tier); got != want {
			t.Errorf("tierName(%d) = %q; want %q", tier, got, want)
		}
	}
}

func TestFlaggedBy(t *testing.T) {
	it := Item{Flags: []Flag{{Rule: "far"}, {Rule: "cost"}}}
	if !it.FlaggedBy("far") || !it.FlaggedBy("cost") || it.FlaggedBy("step-down") || (Item{}).FlaggedBy("far") {
		t.Error("FlaggedBy")
	}
}
