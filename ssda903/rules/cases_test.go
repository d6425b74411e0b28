package rules

import (
	"testing"

	"sufficiency/ssda903"
)

const (
	H  = ssda903.Header
	E  = ssda903.Episodes
	U  = ssda903.UASC
	M  = ssda903.Missing
	R  = ssda903.Reviews
	O2 = ssda903.OC2
	O3 = ssda903.OC3
	A1 = ssda903.AD1
	PA = ssda903.PlacedAdoption
	PP = ssda903.PrevPerm
	SW = ssda903.SWEpisodes
	DL = ssda903.DoLo
)

// ruleCase makes the base fixture fail one rule.
type ruleCase struct {
	code   string
	year   int // 0: 2025
	mutate func(t *testing.T, cur, prev *fixture)
}

// set changes one cell of the k-th row of child in table.
func set(tb ssda903.TableName, child string, k int, kv ...string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		r := cur.row(t, tb, child, k)
		for i := 0; i+1 < len(kv); i += 2 {
			r[kv[i]] = kv[i+1]
		}
	}
}

// both applies several mutations.
func both(ms ...func(t *testing.T, cur, prev *fixture)) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		for _, m := range ms {
			m(t, cur, prev)
		}
	}
}

func addRow(tb ssda903.TableName, pairs ...string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) { cur.add(tb, pairs...) }
}

func setPrev(tb ssda903.TableName, child string, k int, kv ...string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		r := prev.row(t, tb, child, k)
		for i := 0; i+1 < len(kv); i += 2 {
			r[kv[i]] = kv[i+1]
		}
	}
}

// setPrevUASC records child as UASC in last year's return (a UASC row).
func setPrevUASC(child string) func(t *testing.T, cur, prev *fixture) {
	return func(t *testing.T, cur, prev *fixture) {
		prev.add(U, "CHILD="+child, "SEX=F", "DOB=01/06/2010", "DUC=")
	}
}

// c2Episode replaces C2's single episode values.
func c2(kv ...string) func(t *testing.T, cur, prev *fixture) { return set(E, "C2", 0, kv...) }

// baseFor adjusts the base fixture, for the pass case and the fail case
// alike, for a rule that needs something the base lacks (706: an order open
// last year) or whose year moves the base's dates out of range (704: the
// 2026/27 rules run on the 2024/25 base; 709: a DoLO placement).
var baseFor = map[string]func(t *testing.T, cur, prev *fixture){
	"704": set(DL, "C1", 0, "DOLO_START", "01/10/2026", "DOLO_END", "01/12/2026"),
	"706": func(t *testing.T, cur, prev *fixture) {
		prev.add(DL, "CHILD=C1", "DOB=01/06/2010", "DOLO_START=01/10/2024", "DOLO_END=")
	},
	"709": set(E, "C1", 1, "PLACE", "K2"),
}

var ruleCases = []ruleCase{
	// Supplied columns (the Header's UASC flag, the derived placement fields).
	{"105", 0, set(H, "C1", 0, "UASC", "2")},
	{"303", 0, addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "DUC=01/01/2025")},
	{"205C", 0, addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "DUC=01/01/2025")},
	{"205D", 0, set(H, "C1", 0, "UASC", "1")},
	{"406", 0, both(set(H, "C1", 0, "UASC", "1"), setPrevUASC("C1"))},
	{"411", 0, set(E, "C1", 1, "PL_LOCATION", "IN")},
	{"420", 0, c2("LS", "V3", "PL_LA", "E09000001")},
	{"229", 0, c2("PLACE_PROVIDER", "PR2")},
	{"205A", 0, both(addRow(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC="), func(t *testing.T, cur, prev *fixture) {
		prev.add(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC=01/01/2020")
	})},
	{"205B", 0, both(set(H, "C1", 0, "UASC", "1"), addRow(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC=01/06/2028"), func(t *testing.T, cur, prev *fixture) {
		prev.add(U, "CHILD=C1", "SEX=F", "DOB=01/06/2010", "DUC=01/01/2028")
	})},
	{"164", 0, set(E, "C1", 0, "PL_DISTANCE", "1000")},
	{"392a", 0, set(E, "C1", 0, "PL_DISTANCE", "")},
	{"169", 0, set(E, "C1", 0, "PL_LA", "")},
	{"179", 0, set(E, "C1", 0, "PL_LOCATION", "XX")},
	{"452", 0, setPrev(E, "C1", 0, "PL_LA", "E09000009")},
	{"453", 0, setPrev(E, "C1", 0, "PL_DISTANCE", "7.0")},
	{"503J", 0, setPrev(E, "C1", 0, "PL_LOCATION", "OUT")},
	// Code lists.
	{"101", 0, set(H, "C1", 0, "SEX", "2")},
	{"103", 0, set(H, "C1", 0, "ETHNIC", "XXXX")},
	{"143", 0, c2("RNE", "Q")},
	{"144", 0, c2("LS", "Z9")},
	{"145", 0, c2("CIN", "N9")},
	{"146", 0, c2("PLACE", "Z12")}, // not valid until 2025/26
	{"149", 0, c2("REC", "E99")},
	{"178", 0, c2("PLACE_PROVIDER", "PR9")},
	{"1009", 0, set(E, "C1", 0, "REASON_PLACE_CHANGE", "NOPE")},
	{"1006", 0, set(M, "C1", 0, "MISSING", "X")},
	{"167", 0, set(R, "C1", 0, "REVIEW_CODE", "PN9")},
	{"131", 0, set(O3, "C3", 0, "IN_TOUCH", "MAYBE")},
	{"132", 0, set(O3, "C3", 0, "ACTIV", "F9")},
	{"133", 0, set(O3, "C3", 0, "ACCOM", "Q1")},
	{"114", 0, set(A1, "C4", 0, "FOSTER_CARE", "2")},
	{"175", 0, set(A1, "C4", 0, "NB_ADOPTR", "3")},
	{"176", 0, set(A1, "C4", 0, "SEX_ADOPTR", "XY")},
	{"177", 0, set(A1, "C4", 0, "LS_ADOPTR", "L9")},
	{"120", 0, set(PA, "C4", 0, "REASON_PLACED_CEASED", "RD9")},
	{"196", 0, set(O2, "C1", 0, "SDQ_REASON", "SDQ9")},
	{"631", 0, set(PP, "C2", 0, "PREV_PERM", "P9")},
	{"SW13STG1", 0, set(SW, "C1", 0, "SW_REASON", "BORED")},
	{"181", 0, set(O2, "C1", 0, "TEETH_CHECK", "Y")},
	{"180", 0, set(O2, "C1", 0, "SDQ_SCORE", "41")},
	{"168", 0, set(H, "C1", 0, "UPN", "12345")},
	{"165", 0, set(H, "C1", 0, "MOTHER", "2")},
	{"1008", 0, c2("URN", "7654321")},
	{"633", 0, set(PP, "C2", 0, "PREV_PERM", "P1", "LA_PERM", "X99", "DATE_PERM", "01/01/2015")},

	// Dates.
	{"102", 0, set(H, "C1", 0, "DOB", "31/02/2010")},
	{"104", 0, addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "DUC=2024-13-01")},
	{"112", 0, set(A1, "C4", 0, "DATE_INT", "1/1/23")},
	{"113", 0, set(A1, "C4", 0, "DATE_MATCH", "soon")},
	{"115", 0, set(PA, "C4", 0, "DATE_PLACED", "00/01/2023")},
	{"116", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "32/01/2024", "REASON_PLACED_CEASED", "RD1")},
	{"141", 0, c2("DECOM", "")},
	{"147", 0, c2("DEC", "20/13/2024")},
	{"166", 0, set(R, "C1", 0, "REVIEW", "")},
	{"171", 0, set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "30/02/2024")},
	{"1004", 0, set(M, "C1", 0, "MIS_START", "1st Oct")},
	{"1005", 0, set(M, "C1", 0, "MIS_END", "03-10-2024")},
	{"SW04STG1", 0, set(SW, "C1", 0, "SW_DECOM", "32/01/2024")},
	{"SW05STG1", 0, set(SW, "C1", 0, "SW_DEC", "99/99/2024")},
	{"301", 0, set(H, "C4", 0, "DOB", "01/04/2025")},
	{"351", 0, set(H, "C3", 0, "DOB", "01/01/1990")},
	{"353", 0, set(E, "C4", 0, "DECOM", "01/01/1990")},
	{"354", 0, addRow(E, "CHILD=C2", "DECOM=01/05/2025", "RNE=S", "LS=V2", "CIN=N4", "PLACE=K2", "PLACE_PROVIDER=PR4", "HOME_POST=MN7 8OP", "PL_POST=QR9 1ST", "URN=1234567")},
	{"385", 0, c2("DEC", "02/04/2025")},
	{"356", 0, c2("DEC", "01/05/2024")},
	{"355", 0, c2("DEC", "10/05/2024")},
	{"304", 0, addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "DUC=16/02/2026")},
	{"333", 0, set(A1, "C4", 0, "DATE_INT", "02/05/2024")},
	{"522", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "01/12/2021", "REASON_PLACED_CEASED", "RD1")},
	{"567", 0, set(M, "C1", 0, "MIS_END", "30/09/2024")},
	{"570", 0, set(M, "C1", 0, "MIS_START", "01/04/2025", "MIS_END", "")},
	{"571", 0, set(M, "C1", 0, "MIS_END", "01/04/2025")},
	{"586", 0, set(M, "C1", 0, "MIS_START", "01/01/2009")},
	{"184", 0, set(PA, "C4", 0, "DATE_PLACED", "01/12/2019")},

	// Episodes.
	{"142", 0, set(E, "C1", 0, "DEC", "", "REC", "", "REASON_PLACE_CHANGE", "")},
	{"148", 0, c2("REC", "")},
	{"501", 0, set(E, "C1", 0, "DEC", "05/09/2024")},
	{"388", 0, c2("REC", "X1")},
	{"357", 0, c2("RNE", "P")},
	{"431", 0, set(E, "C1", 1, "RNE", "S")},
	{"432", 0, set(E, "C1", 0, "REC", "E4A")},
	{"433", 0, set(E, "C1", 1, "DECOM", "05/09/2024")},
	{"434", 0, set(E, "C1", 1, "RNE", "L")},
	{"435", 0, set(E, "C1", 1, "LS", "V2")},
	{"436", 0, set(E, "C1", 1, "RNE", "B")},
	{"437", 0, set(E, "C1", 0, "REC", "E2")},
	{"504", 0, set(E, "C1", 1, "CIN", "N2")},
	{"302", 0, set(H, "C1", 0, "DOB", "02/01/2023")},
	{"380", 0, c2("PLACE", "T1", "PLACE_PROVIDER", "", "URN", "")},
	{"381", 0, set(E, "C4", 1, "PLACE", "T0", "PLACE_PROVIDER", "")},
	{"383", 0, func(t *testing.T, cur, prev *fixture) {
		set(E, "C1", 1, "DEC", "10/09/2024", "REC", "X1", "PLACE", "T2", "PLACE_PROVIDER", "", "RNE", "T", "PL_POST", "IJ5 6KL")(t, cur, prev)
		cur.add(E, "CHILD=C1", "DECOM=10/09/2024", "RNE=T", "LS=C2", "CIN=N1", "PLACE=U6", "PLACE_PROVIDER=PR4", "HOME_POST=AB1 2CD", "PL_POST=IJ5 6KL")
	}},
	{"225", 0, set(E, "C1", 0, "REASON_PLACE_CHANGE", "")},
	{"226", 0, set(E, "C1", 1, "PLACE", "T1", "REASON_PLACE_CHANGE", "CARPL")},
	{"361", 0, c2("LS", "L1")},
	{"362", 0, c2("LS", "L2")},
	{"363", 0, c2("LS", "L3")},
	{"364", 0, c2("LS", "J2")},
	{"365", 0, c2("LS", "V3", "HOME_POST", "", "PL_POST", "", "URN", "")},
	{"366", 0, set(E, "C1", 1, "LS", "V3")},
	{"367", 0, func(t *testing.T, cur, prev *fixture) {
		for _, d := range [][2]string{{"01/06/2024", "17/06/2024"}, {"01/07/2024", "17/07/2024"}, {"01/08/2024", "17/08/2024"}, {"01/09/2024", "17/09/2024"}, {"01/10/2024", "17/10/2024"}} {
			cur.add(E, "CHILD=C3", "DECOM="+d[0], "RNE=S", "LS=V3", "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR1", "DEC="+d[1], "REC=E4A", "URN=1234567")
		}
	}},
	{"426", 0, func(t *testing.T, cur, prev *fixture) {
		cur.add(E, "CHILD=C3", "DECOM=01/06/2024", "RNE=S", "LS=V3", "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR1", "DEC=05/06/2024", "REC=E4A", "URN=1234567")
		cur.add(E, "CHILD=C3", "DECOM=01/07/2024", "RNE=S", "LS=V4", "CIN=N2", "PLACE=K2", "PLACE_PROVIDER=PR1", "DEC=05/07/2024", "REC=E4A", "URN=1234567")
	}},
	{"445", 0, set(E, "C4", 1, "LS", "D1")},
	{"446", 0, set(E, "C4", 0, "DECOM", "01/02/2005")},
	{"451", 0, set(E, "C1", 1, "LS", "D1")},
	{"408", 0, set(E, "C4", 1, "LS", "C2")},
	{"217", 0, set(E, "C4", 1, "PLACE", "A5")},
	{"378", 0, c2("PLACE", "P1", "PLACE_PROVIDER", "PR0", "URN", "")},
	{"382", 0, c2("LS", "V3", "PLACE", "T0", "PLACE_PROVIDER", "", "URN", "", "HOME_POST", "", "PL_POST", "")},
	{"384", 0, c2("LS", "V3", "PLACE", "U1", "URN", "", "HOME_POST", "", "PL_POST", "")},
	{"375", 0, c2("PLACE", "T1", "PLACE_PROVIDER", "", "URN", "")},
	{"376", 0, c2("PLACE", "T3", "PLACE_PROVIDER", "", "URN", "")},
	{"379", 0, c2("PLACE", "T4", "PLACE_PROVIDER", "", "URN", "")},
	{"377", 0, func(t *testing.T, cur, prev *fixture) {
		for _, d := range [][2]string{{"01/06/2024", "05/06/2024"}, {"01/07/2024", "05/07/2024"}, {"01/08/2024", "05/08/2024"}} {
			cur.add(E, "CHILD=C3", "DECOM="+d[0], "RNE=S", "LS=V2", "CIN=N2", "PLACE=T3", "DEC="+d[1], "REC=E4A")
		}
	}},

	// Placements.
	{"213", 0, c2("PLACE", "T0", "URN", "")},
	{"526", 0, c2("PLACE_PROVIDER", "")},
	{"527", 0, c2("PLACE", "R2", "PLACE_PROVIDER", "PR1", "URN", "")},
	{"528", 0, c2("PLACE", "R5", "PLACE_PROVIDER", "PR2", "URN", "")},
	{"529", 0, c2("PLACE_PROVIDER", "PR3")},
	{"530", 0, c2("PLACE", "P1", "PLACE_PROVIDER", "PR4", "URN", "")},
	{"531", 0, c2("PLACE", "P1", "PLACE_PROVIDER", "PR5", "URN", "")},
	{"550", 0, c2("PLACE_PROVIDER", "PR0")},
	{"214", 0, c2("LS", "V4", "HOME_POST", "", "PL_POST", "")},
	{"218", 0, c2("URN", "")},
	{"230", 2024, c2("PLACE", "H5", "URN", "")},
	{"222", 0, set(E, "C1", 1, "PLACE", "R2", "URN", "1234567")},
	{"217t", 2024, set(E, "C1", 1, "PLACE", "P2")},
	{"392b", 0, set(E, "C1", 1, "HOME_POST", "")},
	{"392d", 0, set(E, "C1", 1, "PL_POST", "AB1 2CD")},
	{"398", 0, c2("LS", "V3", "URN", "")},
	{"390", 0, set(E, "C4", 1, "PLACE", "U4")},
	{"336", 0, set(E, "C4", 0, "PLACE", "K2", "URN", "1234567")},

	// Ages.
	{"358", 0, set(E, "C4", 1, "LS", "J1")},
	{"371", 0, set(E, "C1", 1, "PLACE", "K3", "URN", "1234567")},
	{"372", 0, set(E, "C4", 1, "PLACE", "R5")},
	{"373", 0, set(E, "C4", 0, "PLACE", "S1")},
	{"374", 0, set(E, "C4", 1, "PLACE", "P3")},
	{"352", 0, set(H, "C2", 0, "DOB", "15/02/2006")},
	{"359", 0, set(H, "C1", 0, "DOB", "01/06/2006")},
	{"386", 0, set(H, "C4", 0, "DOB", "01/01/2006")},
	{"387", 0, set(E, "C4", 1, "REC", "E5")},
	{"389", 0, set(E, "C4", 1, "REC", "E7")},
	{"407", 0, both(set(H, "C2", 0, "DOB", "15/02/2006"), c2("REC", "E45", "RNE", "B"))},
	{"460", 0, c2("REC", "E17")},
	{"620", 0, set(H, "C4", 0, "SEX", "F", "MOTHER", "1", "MC_DOB", "01/01/2024")},
	{"621", 0, set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "01/01/2010")},
	{"174", 0, set(H, "C2", 0, "MC_DOB", "01/01/2024")},
	{"611", 0, set(H, "C1", 0, "MOTHER", "1")},
	{"612", 0, set(H, "C1", 0, "MC_DOB", "01/01/2025")},
	{"209", 0, set(H, "C1", 0, "UPN", "UN1")},

	// Cross-table.
	{"INT01", 0, addRow(A1, "CHILD=X9")},
	{"INT02", 0, addRow(PA, "CHILD=X9")},
	{"INT03", 0, addRow(E, "CHILD=X9", "DECOM=01/05/2024", "RNE=S", "LS=V2", "CIN=N1", "PLACE=U4", "PLACE_PROVIDER=PR1", "HOME_POST=AB1 2CD", "PL_POST=EF3 4GH")},
	{"INT04", 0, addRow(M, "CHILD=X9")},
	{"INT05", 0, addRow(O2, "CHILD=X9")},
	{"INT06", 0, addRow(O3, "CHILD=X9")},
	{"INT07", 0, addRow(PP, "CHILD=X9")},
	{"INT08", 0, addRow(R, "CHILD=X9", "REVIEW=01/05/2024", "REVIEW_CODE=PN1")},
	{"INT09", 0, addRow(U, "CHILD=X9")},
	{"INT11", 0, set(A1, "C4", 0, "DOB", "02/01/2020")},
	{"INT12", 0, set(PA, "C4", 0, "DOB", "02/01/2020")},
	{"INT13", 0, set(M, "C1", 0, "DOB", "02/06/2010")},
	{"INT14", 0, set(O2, "C1", 0, "DOB", "02/06/2010")},
	{"INT15", 0, set(O3, "C3", 0, "DOB", "11/10/2006")},
	{"INT16", 0, set(PP, "C2", 0, "DOB", "16/02/2008")},
	{"INT17", 0, set(R, "C1", 0, "DOB", "02/06/2010")},
	{"INT18", 0, addRow(U, "CHILD=C2", "SEX=M", "DOB=16/02/2008")},
	{"INT21", 0, addRow(U, "CHILD=C2", "SEX=F", "DOB=15/02/2008")},
	{"INT31", 0, addRow(A1, "CHILD=C4", "DOB=01/01/2020")},
	{"INT32", 0, addRow(H, "CHILD=C2", "SEX=M", "DOB=15/02/2008", "ETHNIC=BAFR", "UPN=B12345678901B")},
	{"INT33", 0, addRow(O2, "CHILD=C1", "DOB=01/06/2010")},
	{"INT34", 0, addRow(O3, "CHILD=C3", "DOB=10/10/2006")},
	{"INT35", 0, addRow(PP, "CHILD=C2", "DOB=15/02/2008", "PREV_PERM=Z1")},
	{"INT36", 0, both(addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008"), addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2008"))},
	{"EPI", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(E, "C2") }},
	{"393", 0, set(H, "C1", 0, "MOTHER", "")},
	{"399", 0, both(set(E, "C1", 0, "LS", "V3"), set(E, "C1", 1, "LS", "V3"))},
	{"440", 0, set(R, "C1", 0, "REVIEW_CODE", "PN0")},
	{"441", 0, set(R, "C4", 0, "REVIEW", "01/07/2023")},
	{"210", 0, both(set(H, "C2", 0, "UPN", "UN4"), addRow(E, "CHILD=C2", "DECOM=27/03/2025", "RNE=S", "LS=V2", "CIN=N1", "PLACE=U1", "PLACE_PROVIDER=PR1"))},
	{"625", 0, set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "01/04/2025")},
	{"607", 0, both(set(H, "C2", 0, "SEX", "F"))},

	// Missing.
	{"564", 0, set(M, "C1", 0, "MIS_START", "")},
	{"565", 0, set(M, "C1", 0, "MISSING", "", "MIS_END", "")},
	{"566", 0, set(M, "C1", 0, "MISSING", "", "MIS_START", "")},
	{"574", 0, both(set(M, "C1", 0, "MIS_END", ""), addRow(M, "CHILD=C1", "DOB=01/06/2010", "MISSING=A", "MIS_START=05/10/2024", "MIS_END=06/10/2024"))},
	{"577", 0, addRow(M, "CHILD=C2", "DOB=15/02/2008", "MISSING=A", "MIS_START=01/12/2024")},
	{"578", 0, addRow(M, "CHILD=C2", "DOB=15/02/2008", "MISSING=A", "MIS_START=01/01/2025", "MIS_END=02/01/2025")},
	{"580", 0, addRow(M, "CHILD=C2", "DOB=15/02/2008", "MISSING=M", "MIS_START=01/12/2024", "MIS_END=02/01/2025")},
	{"581", 0, addRow(M, "CHILD=C2", "DOB=15/02/2008", "MISSING=M", "MIS_START=01/05/2024", "MIS_END=02/05/2024")},

	// OC2.
	{"190", 0, addRow(O2, "CHILD=C2", "DOB=15/02/2008", "IMMUNISATIONS=1", "TEETH_CHECK=1", "HEALTH_ASSESSMENT=1", "SUBSTANCE_MISUSE=0")},
	{"185", 0, addRow(O2, "CHILD=C2", "DOB=15/02/2008", "SDQ_SCORE=10")},
	{"198", 0, addRow(O2, "CHILD=C2", "DOB=15/02/2008", "SDQ_REASON=SDQ2")},
	{"191", 0, set(O2, "C1", 0, "IMMUNISATIONS", "", "CONVICTED", "")},
	{"182", 0, set(O2, "C1", 0, "TEETH_CHECK", "")},
	{"188", 0, both(set(H, "C4", 0, "DOB", "01/01/2022"), addRow(O2, "CHILD=C4", "DOB=01/01/2022", "SDQ_REASON=SDQ1"))},
	{"189", 0, addRow(O2, "CHILD=C3", "DOB=10/10/2006", "SDQ_REASON=SDQ1")},
	{"197a", 0, set(O2, "C1", 0, "SDQ_REASON", "SDQ2")},
	{"186", 0, set(O2, "C1", 0, "SDQ_SCORE", "")},
	{"157", 0, set(O2, "C1", 0, "SDQ_SCORE", "", "SDQ_REASON", "SDQ1")},
	{"158", 0, set(O2, "C1", 0, "SUBSTANCE_MISUSE", "1", "INTERVENTION_RECEIVED", "1", "INTERVENTION_OFFERED", "1")},
	{"159", 0, set(O2, "C1", 0, "SUBSTANCE_MISUSE", "1", "INTERVENTION_RECEIVED", "0")},
	{"192", 0, set(O2, "C1", 0, "SUBSTANCE_MISUSE", "1")},
	{"193", 0, set(O2, "C1", 0, "INTERVENTION_OFFERED", "1")},
	{"542", 0, addRow(O2, "CHILD=C4", "DOB=01/01/2020", "CONVICTED=0")},
	{"543", 0, set(O2, "C1", 0, "CONVICTED", "")},
	{"545", 0, both(set(H, "C1", 0, "DOB", "01/06/2021"), set(O2, "C1", 0, "DOB", "01/06/2021", "CONVICTED", "", "SDQ_SCORE", ""), set(M, "C1", 0, "DOB", "01/06/2021"), set(R, "C1", 0, "DOB", "01/06/2021", "REVIEW_CODE", "PN0"), set(SW, "C1", 0, "DOB", "01/06/2021"))},
	{"546", 0, set(O2, "C1", 0, "HEALTH_CHECK", "1")},
	{"544", 0, set(O2, "C1", 0, "IMMUNISATIONS", "")},
	{"547", 0, addRow(O2, "CHILD=C4", "DOB=01/01/2020", "HEALTH_CHECK=1")},

	// OC3.
	{"153", 0, set(O3, "C3", 0, "ACCOM", "")},
	{"344", 0, set(O3, "C3", 0, "IN_TOUCH", "DIED")},
	{"345", 0, set(O3, "C3", 0, "ACTIV", "0")},
	{"391", 0, both(set(H, "C3", 0, "DOB", "10/10/2000"), set(O3, "C3", 0, "DOB", "10/10/2000"))},
	{"1000", 0, both(c2("REC", "E2"), addRow(O3, "CHILD=C2", "DOB=15/02/2008", "IN_TOUCH=NO", "ACTIV=0", "ACCOM=0"))},
	{"1011", 0, both(c2("REC", "E3"), addRow(O3, "CHILD=C2", "DOB=15/02/2008", "IN_TOUCH=NO", "ACTIV=0", "ACCOM=0"))},
	{"1007", 0, both(set(H, "C2", 0, "DOB", "15/06/2007"), set(PP, "C2", 0, "DOB", "15/06/2007"), addRow(O3, "CHILD=C2", "DOB=15/06/2007", "IN_TOUCH=YES", "ACTIV=F2", "ACCOM=D1"))},
	{"3001", 0, both(set(H, "C3", 0, "DOB", "10/10/2007"), set(O3, "C3", 0, "DOB", "10/10/2007", "ACCOM", "Z1"))},
	{"215", 0, addRow(O2, "CHILD=C3", "DOB=10/10/2006", "CONVICTED=0")},
	{"134", 0, addRow(A1, "CHILD=C3", "DOB=10/10/2006", "DATE_INT=01/01/2020")},
	{"628", 0, set(H, "C3", 0, "MOTHER", "0")},

	// Adoption.
	{"151", 0, set(A1, "C4", 0, "LS_ADOPTR", "")},
	{"511", 0, set(A1, "C4", 0, "SEX_ADOPTR", "F1")},
	{"514", 0, set(A1, "C4", 0, "LS_ADOPTR", "L0")},
	{"517", 0, set(A1, "C4", 0, "SEX_ADOPTR", "FF")},
	{"518", 0, set(A1, "C4", 0, "LS_ADOPTR", "L4")},
	{"524", 0, set(A1, "C4", 0, "LS_ADOPTR", "L12")},
	{"601", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(A1, "C4") }},
	{"602", 0, set(E, "C4", 1, "REC", "E4A", "PLACE", "U4")},
	{"521", 0, set(A1, "C4", 0, "DATE_INT", "02/06/2024", "DATE_MATCH", "03/06/2024")},
	{"331", 0, set(A1, "C4", 0, "DATE_MATCH", "02/06/2024")},
	{"582", 0, set(A1, "C4", 0, "DATE_MATCH", "01/12/2024")},
	{"335", 0, set(A1, "C4", 0, "FOSTER_CARE", "1")},
	{"119", 0, set(PA, "C4", 0, "REASON_PLACED_CEASED", "RD1")},
	{"563", 0, set(PA, "C4", 0, "DATE_PLACED", "", "DATE_PLACED_CEASED", "01/02/2023", "REASON_PLACED_CEASED", "RD1")},
	{"579", 0, addRow(PA, "CHILD=C4", "DOB=01/01/2020", "DATE_PLACED=01/03/2023")},
	{"551", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(PA, "C4") }},
	{"552", 0, set(PA, "C4", 0, "DATE_PLACED", "02/06/2024")},
	{"558", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "01/02/2023", "REASON_PLACED_CEASED", "RD1")},
	{"1003", 0, both(set(E, "C4", 0, "DECOM", "01/04/2024"), set(PA, "C4", 0, "DATE_PLACED", "01/03/2024"), set(A1, "C4", 0, "DATE_INT", "01/03/2024"))},
	{"553", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(PA, "C4") }},
	{"555", 0, both(set(E, "C4", 0, "LS", "D1", "DECOM", "01/02/2005"), func(t *testing.T, cur, prev *fixture) { cur.drop(PA, "C4") })},

	// Previous year.
	{"502", 0, setPrev(E, "C1", 0, "DECOM", "02/01/2023")},
	{"503A", 0, setPrev(E, "C1", 0, "RNE", "P")},
	{"503B", 0, setPrev(E, "C1", 0, "LS", "V2")},
	{"503C", 0, setPrev(E, "C1", 0, "CIN", "N2")},
	{"503D", 0, setPrev(E, "C1", 0, "PLACE", "U5")},
	{"503E", 0, setPrev(E, "C1", 0, "PLACE_PROVIDER", "PR4")},
	{"503F", 0, setPrev(E, "C1", 0, "URN", "SC123456")},
	{"562", 0, setPrev(E, "C4", 0, "DECOM", "01/03/2022")},
	{"NoE", 0, func(t *testing.T, cur, prev *fixture) { prev.drop(E, "C1") }},
	{"202", 0, setPrev(H, "C1", 0, "SEX", "1")},
	{"203", 0, setPrev(H, "C1", 0, "DOB", "02/06/2010")},
	{"204", 0, setPrev(H, "C1", 0, "ETHNIC", "WIRI")},
	{"208", 0, setPrev(H, "C1", 0, "UPN", "Z12345678901Z")},
	{"624", 0, both(set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "01/01/2024"), setPrev(H, "C1", 0, "MOTHER", "1", "MC_DOB", "02/01/2024"))},
	{"207", 0, setPrev(H, "C1", 0, "MOTHER", "1")},
	{"626", 0, set(H, "C1", 0, "MOTHER", "1", "MC_DOB", "01/01/2024")},
	{"576", 0, func(t *testing.T, cur, prev *fixture) {
		prev.add(M, "CHILD=C1", "DOB=01/06/2010", "MISSING=M", "MIS_START=20/03/2024")
	}},

	// Social workers.
	{"SW01STG1", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(SW, "C1") }},
	{"SW02STG1", 0, set(SW, "C1", 0, "SW_ID", "AB123")},
	{"SW03STG1", 0, set(SW, "C1", 0, "SW_ID", "")},
	{"SW06STG2", 0, set(SW, "C1", 0, "SW_DECOM", "01/04/2025")},
	{"SW07STG2", 0, set(SW, "C1", 0, "SW_DEC", "01/04/2025")},
	{"SW09STG2", 0, set(SW, "C1", 0, "SW_DEC", "01/04/2023")},
	{"SW10STG2", 0, both(set(SW, "C1", 0, "SW_DEC", "01/10/2024"), addRow(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW2", "SW_DECOM=01/09/2024", "SW_REASON=MANAGE"))},
	{"SW108STG2", 0, addRow(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW2", "SW_DECOM=01/09/2024", "SW_REASON=MANAGE")},
	{"SW11STG2", 0, set(SW, "C1", 0, "SW_DEC", "01/03/2025")},

	// Location and Ofsted register.
	{"392c", 0, set(E, "C1", 1, "PL_POST", "ZZ9 9ZZ")},
	{"1015", 0, set(E, "C1", 1, "PLACE_PROVIDER", "PR1", "PLACE", "K2", "URN", "1234567")},
	{"219", 0, set(E, "C1", 1, "URN", "1234567", "PLACE", "K1", "PL_POST", "QR9 1ST")},
	{"221", 0, c2("PL_POST", "MN7 8OP")},
	{"224", 0, c2("PLACE_PROVIDER", "PR1")},
	{"227", 0, c2("URN", "SC000004")},
	{"228", 0, c2("URN", "SC000003")},
	// Previous permanence, care leavers and later additions.
	{"635", 0, set(PP, "C2", 0, "PREV_PERM", "", "LA_PERM", "E08000003")},
	{"632", 0, set(PP, "C2", 0, "PREV_PERM", "P1", "DATE_PERM", "32/01/2020", "LA_PERM", "E08000003")},
	{"634", 0, both(set(E, "C1", 0, "DECOM", "01/01/2015"), set(E, "C1", 1, "DECOM", "01/03/2016"), addRow(PP, "CHILD=C1", "DOB=01/06/2010", "PREV_PERM=Z1"))},
	{"630", 0, func(t *testing.T, cur, prev *fixture) { cur.drop(PP, "C2") }},
	{"1012", 0, addRow(R, "CHILD=C3", "DOB=10/10/2006", "REVIEW=01/05/2024", "REVIEW_CODE=PN1")},
	{"1014", 0, addRow(U, "CHILD=C3", "SEX=M", "DOB=10/10/2006")},
	{"1010", 0, setPrev(E, "C3", 0, "DEC", "", "REC", "")},
	{"1002", 0, func(t *testing.T, cur, prev *fixture) { prev.drop(E, "C3") }},
	{"187", 0, addRow(O3, "CHILD=C1", "DOB=01/06/2010", "IN_TOUCH=YES", "ACTIV=F2", "ACCOM=D1")},
	{"199", 0, func(t *testing.T, cur, prev *fixture) {
		prev.add(E, "CHILD=C1", "DECOM=01/01/2020", "RNE=S", "LS=E1", "CIN=N1", "PLACE=A4", "PLACE_PROVIDER=PR1", "DEC=01/06/2020", "REC=E11")
	}},
	{"347", 0, both(set(H, "C3", 0, "DOB", "10/10/2007"), set(O3, "C3", 0, "DOB", "10/10/2007", "ACCOM", "T1"))},
	{"334", 0, set(A1, "C4", 0, "DATE_INT", "01/01/2022")},
	{"523", 0, set(A1, "C4", 0, "DATE_INT", "02/01/2023")},
	{"525", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "01/02/2023", "REASON_PLACED_CEASED", "RD1")},
	{"554", 0, both(set(E, "C4", 0, "LS", "C2"), set(PA, "C4", 0, "DATE_PLACED", "05/06/2024"))},
	{"556", 0, both(set(E, "C4", 0, "LS", "C2"), set(E, "C4", 1, "LS", "D1"), set(PA, "C4", 0, "DATE_PLACED", "05/06/2024"))},
	{"557", 0, set(E, "C4", 1, "REC", "E4A", "PLACE", "U4")},
	{"583", 0, addRow(PA, "CHILD=C4", "DOB=01/01/2020", "DATE_PLACED=01/03/2023")},
	{"117", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "05/12/2024", "REASON_PLACED_CEASED", "RD1")},
	{"118", 0, set(PA, "C4", 0, "DATE_PLACED_CEASED", "01/02/2024", "REASON_PLACED_CEASED", "RD1")},
	{"575", 0, set(M, "C1", 0, "MIS_START", "01/06/2024", "MIS_END", "")},
	{"442", 0, set(H, "C1", 0, "UPN", "")},
	{"516", 0, c2("REC", "E45")},
	{"234", 2026, set(E, "C4", 0, "REASON_PLACE_CHANGE", "CUSTOD")},
	{"SW15STG2", 0, set(SW, "C1", 0, "SW_REASON", "")},
	{"SW16aSTG2", 0, setPrev(SW, "C1", 0, "SW_ID", "SW999")},
	{"SW16bSTG2", 0, setPrev(SW, "C1", 0, "SW_DECOM", "02/04/2023")},
	{"SW16cSTG2", 0, both(setPrev(SW, "C1", 0, "SW_REASON", "MANAGE"), set(SW, "C1", 0, "SW_REASON", "OTHERS"))},
	{"370", 2024, set(E, "C1", 1, "PLACE", "P2")},
	{"559", 0, setPrev(PA, "C4", 0, "DATE_PLACED", "02/01/2023")},
	{"560", 0, both(set(PA, "C4", 0, "DATE_PLACED", "03/01/2023"), set(A1, "C4", 0, "DATE_INT", "03/01/2023"))},
	{"561", 0, setPrev(PA, "C4", 0, "DATE_PLACED_CEASED", "01/03/2024", "REASON_PLACED_CEASED", "RD1")},
	{"584", 0, setPrev(PA, "C4", 0, "DATE_PLACED_CEASED", "01/03/2024", "REASON_PLACED_CEASED", "RD1")},
	{"1001", 0, setPrev(E, "C3", 0, "DECOM", "01/01/2024")},
	{"1016", 0, addRow(E, "CHILD=C3", "DECOM=01/04/2024", "RNE=S", "LS=C2", "CIN=N1", "PLACE=U4", "PLACE_PROVIDER=PR1", "DEC=11/10/2024", "REC=E8", "HOME_POST=AB1 2CD", "PL_POST=EF3 4GH")},
	{"454", 2026, set(E, "C1", 1, "PL_DISTANCE", "400.0")},
	{"503G", 0, setPrev(E, "C1", 0, "PL_POST", "IJ5 6KL")},
	{"503H", 0, setPrev(E, "C1", 0, "PL_POST", "IJ5 6KL")},

	// Added for issue 16.
	{"232", 0, set(H, "C2", 0, "SEX", "U")},
	{"444", 2026, set(H, "C2", 0, "UPN", "A12345678901A")},
	{"519", 0, set(A1, "C4", 0, "LS_ADOPTR", "L2", "SEX_ADOPTR", "M1")},
	{"520", 0, set(A1, "C4", 0, "LS_ADOPTR", "L11", "SEX_ADOPTR", "MM")},
	{"348", 2026, func(t *testing.T, cur, prev *fixture) {
		prev.add(O3, "CHILD=C3", "DOB=10/10/2006", "IN_TOUCH=DIED")
	}},
	{"233", 2026, set(E, "C1", 1, "REASON_PLACE_CHANGE", "CARPL")},
	{"241", 2026, set(E, "C1", 1, "URN", "1234567", "PLACE", "K3", "PL_LA", "E09000002")},
	{"242", 2026, c2("URN", "XXXXXXX")},
	{"243", 2026, set(E, "C1", 1, "PL_LA", "WAL", "URN", "XXXXXXX")},
	{"SW10aSTG2", 2026, addRow(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW2", "SW_DECOM=01/09/2024", "SW_REASON=MANAGE")},
	{"SW17STG2", 2026, set(SW, "C1", 0, "SW_DEC", "01/03/2025")},
	{"SW14STG2", 0, addRow(SW, "CHILD=C1", "DOB=01/06/2010", "SW_ID=SW2", "SW_DECOM=01/09/2024", "SW_REASON=MANAGE")},
	{"197B", 0, both(set(H, "C1", 0, "DOB", "01/06/2020"), set(O2, "C1", 0, "DOB", "01/06/2020", "SDQ_SCORE", ""))},
	{"700", 2027, set(DL, "C1", 0, "DOLO_START", "")},
	{"701", 2027, set(DL, "C1", 0, "DOLO_END", "2024/12/01")},
	{"703", 2027, set(DL, "C1", 0, "DOLO_START", "01/04/2027")},
	{"704", 2027, set(DL, "C1", 0, "DOLO_END", "31/03/2026")},
	{"706", 2027, set(DL, "C1", 0, "DOLO_START", "02/10/2024")},
	{"709", 2027, set(E, "C1", 1, "PLACE", "U6")},
	{"702", 2027, set(DL, "C1", 0, "DOLO_END", "01/09/2024")},
	{"705", 2027, addRow(DL, "CHILD=C1", "DOB=01/06/2010", "DOLO_START=01/11/2024")},
	{"708", 2027, set(DL, "C1", 0, "DOLO_START", "01/06/2010")},
	{"710", 2027, set(E, "C1", 1, "PLACE", "K1")},
	{"231", 0, both(set(H, "C2", 0, "DOB", "15/02/2016", "UASC", "1"), addRow(U, "CHILD=C2", "SEX=M", "DOB=15/02/2016"))},
	{"SW01aSTG1", 0, set(SW, "C1", 0, "SW_DECOM", "")},
	{"SW01bSTG1", 0, set(SW, "C1", 0, "SW_ID", "")},
	{"SW11aSTG2", 2024, set(SW, "C1", 0, "SW_DEC", "01/03/2024")},
	{"SW12STG2", 0, set(SW, "C1", 0, "SW_DECOM", "01/05/2024")},
	{"707", 2027, both(set(E, "C1", 1, "DEC", "01/12/2024", "REC", "E4A"), set(DL, "C1", 0, "DOLO_END", ""))},
}
