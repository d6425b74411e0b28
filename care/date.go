package care

import "time"

// AddYears returns the same calendar day n years later (earlier for negative
// n). A 29 February with no counterpart becomes 28 February, as anniversaries
// are kept in England, rather than rolling over into March as time.AddDate
// would.
func AddYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	if m == time.February && d == 29 && !isLeap(y+n) {
		d = 28
	}
	return time.Date(y+n, m, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }
