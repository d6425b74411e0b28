package forecast

import (
	"fmt"
	"strings"
	"testing"

	"sufficiency/care"
)

func TestParseOrigins(t *testing.T) {
	for in, want := range map[string]string{"": "[]", " 2019 ": "[2019]", "2015, 2019": "[2015 2019]", "2012..2014": "[2012 2013 2014]", "2014..2014": "[2014]"} {
		got, err := ParseOrigins(in)
		if err != nil || fmt.Sprint(got) != want {
			t.Errorf("ParseOrigins(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"2019..2015", "2000..2200", "twenty", "2015,,2019", "..2019"} {
		_, err := ParseOrigins(in)
		if care.ErrorCode(err) != care.EINVALID || strings.Contains(care.ErrorMessage(err), "--") {
			t.Errorf("ParseOrigins(%q): %v; want EINVALID in the domain's words", in, err)
		}
	}
}

func TestChildOrigins(t *testing.T) {
	if got := ChildOrigins([]int{2020}, []int{2015, 2025}); len(got) != 1 || !got[0].Equal(care.Date(2020, 3, 31)) {
		t.Errorf("years given: %v", got)
	}
	// Returns of 2016–2022: origins 31 March 2018 to 2021.
	got := ChildOrigins(nil, []int{2016, 2017, 2018, 2019, 2020, 2021, 2022})
	if len(got) != 4 || !got[0].Equal(care.Date(2018, 3, 31)) || !got[3].Equal(care.Date(2021, 3, 31)) {
		t.Errorf("from the collected years: %v", got)
	}
	if got := ChildOrigins(nil, []int{2024, 2025}); len(got) != 0 {
		t.Errorf("two years of returns: %v, want none", got)
	}
}
