package statement

import "testing"

func TestSameCouncils(t *testing.T) {
	cases := []struct {
		a, b []string
		want bool
	}{
		{[]string{"E08000037"}, []string{"E08000037"}, true},
		{[]string{"E08000037", "E06000047"}, []string{"E06000047", "E08000037"}, true}, // any order
		{[]string{"E08000037"}, []string{"E08000037", "E06000047"}, false},             // a run of a wider area
		{[]string{"E08000037", "E06000047"}, []string{"E08000037"}, false},             // of a narrower one
		{[]string{"E08000037"}, []string{"E08000021"}, false},                          // another council
		{nil, nil, true},
	}
	for _, c := range cases {
		if got := SameCouncils(c.a, c.b); got != c.want {
			t.Errorf("SameCouncils(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
