package rules

import "testing"

// TestURNOnRegisterOrKnownClosed: rule 1008 asks only that a URN be one the
// provider list knows (or XXXXXXX), as the DfE's reference validator checks
// it against the provider list it is given; a home that has closed stays on
// that list, so an episode there is not a 1008 error, whenever it ended.
// An episode ending after the home closed is rule 228's (a warning), on the
// close date it is neither's. The test register's SC000003 is a children's
// home that closed on 1 June 2024; C2's episode there began 10 May 2024.
func TestURNOnRegisterOrKnownClosed(t *testing.T) {
	runLimits(t, "1008", []limitCase{
		{"known closed home, ended before it closed", c2("URN", "SC000003", "DEC", "31/05/2024"), false},
		{"known closed home, ended on the close date", c2("URN", "SC000003", "DEC", "01/06/2024"), false},
		{"known closed home, ended after it closed", c2("URN", "SC000003", "DEC", "02/06/2024"), false},
		{"known closed home, still open", c2("URN", "SC000003", "DEC", "", "REC", ""), false},
		{"open home", c2("URN", "1234567"), false},
		{"URN nobody knows", c2("URN", "7654321"), true},
		{"not registered in England", c2("URN", "XXXXXXX"), false},
		{"six Xs", c2("URN", "XXXXXX"), true},
		{"no URN", c2("URN", ""), false},
	})
	runLimits(t, "228", []limitCase{
		{"ended before the home closed", c2("URN", "SC000003", "DEC", "31/05/2024"), false},
		{"ended on the close date", c2("URN", "SC000003", "DEC", "01/06/2024"), false},
		{"ended the day after", c2("URN", "SC000003", "DEC", "02/06/2024"), true},
	})
}
