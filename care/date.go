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

// CollectionYearEnd returns the end of the SSDA903 collection year that holds
// t: 31 March of t's year when t falls on or before it, else 31 March of the
// next year. A return describes every day of its year, so data whose last
// recorded event is 27 March 2022 still says who was in care on 31 March 2022.
func CollectionYearEnd(t time.Time) time.Time {
	end := Date(t.Year(), time.March, 31)
	if t.After(end) {
		end = Date(t.Year()+1, time.March, 31)
	}
	return end
}
