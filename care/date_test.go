package care

import (
	"testing"
	"time"
)

func TestAddYears(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2024-03-31", -1, "2023-03-31"},
		{"2024-02-29", -1, "2023-02-28"},
		{"2024-02-29", -4, "2020-02-29"},
		{"2024-02-29", 1, "2025-02-28"},
		{"2023-02-28", 1, "2024-02-28"},
		{"2000-02-29", 100, "2100-02-28"},
		{"2025-12-31", 2, "2027-12-31"},
	}
	for _, c := range cases {
		if got := AddYears(day(c.from), c.n).Format(time.DateOnly); got != c.want {
			t.Errorf("AddYears(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestCollectionYearEnd(t *testing.T) {
	for _, tc := range []struct{ in, want time.Time }{
		{Date(2022, time.March, 27), Date(2022, time.March, 31)},
		{Date(2022, time.March, 30), Date(2022, time.March, 31)},
		{Date(2022, time.March, 31), Date(2022, time.March, 31)}, // on the limit
		{Date(2022, time.April, 1), Date(2023, time.March, 31)},  // one day above
		{Date(2024, time.February, 29), Date(2024, time.March, 31)},
		{Date(2023, time.December, 31), Date(2024, time.March, 31)},
		{Date(2023, time.January, 1), Date(2023, time.March, 31)},
	} {
		if got := CollectionYearEnd(tc.in); !got.Equal(tc.want) {
			t.Errorf("CollectionYearEnd(%s) = %s, want %s", tc.in.Format(time.DateOnly), got.Format(time.DateOnly), tc.want.Format(time.DateOnly))
		}
	}
}
