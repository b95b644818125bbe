#!/bin/bash
# cmp-screen.sh OLD NEW [DECLARATIONS]: the reports and messages of two
# tradeplan binaries are byte for byte alike, with their exit statuses, for
# `tradeplan screen` in csv, text and json of: every example and test plan
# or line file of the repository; a generated file using every column
# (quotes, doubled quotes, line breaks in a field, CRLF, spreadsheet
# formulas, partners and vessels on the real lists, caps crossed); a file
# with bad rows and one with a bad header (the error messages); and
# the example plans with each site file; DECLARATIONS when given (the 1,000,000-line file of
# BenchmarkScreenCommand: TRADEPLAN_WRITE_DECLARATIONS=FILE go test
# -run WriteDeclarations ./cmd/tradeplan/). Each runs without lists and
# with the UN and OFAC lists of ../shared/data. Run from the repository's
# root; prints one line per difference and exits 1 when there is any.
set -u
old=$1 new=$2 decl=${3:-}
root=$(pwd)
data=$root/../shared/data
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
echo "work: $work"
export TRADEPLAN_DB=$work/none.db NO_COLOR=1

# every column, quoted and not, CRLF line ends
{
	printf 'description,hs,origin,destination,quantity,unit,value,currency,partner,partner_country,vessel_name,vessel_imo,vessel_flag,crossing,necessity,direction,date,exemption,purpose,source_site\r\n'
	for i in $(seq 1 1500); do
		case $((i % 10)) in
		0) printf '"salted pollack, frozen",030569,KP,CN,%d,t,%d,USD,"Korea Mining Development Trading Corporation",KP,,,,Sinuiju,essential,export,2026-10-%02d,,,north-hamgyong\r\n' $i $((i * 7)) $((i % 28 + 1)) ;;
		1) printf 'gas oil diesel,271019,CN,KP,90000,bbl,3800,USD,,,"JI SONG 6",,KP,,critical,import,2026-09-01,,"heating, ""winter""",\r\n' ;;
		2) printf '=cmd|calc,,CN,VN,3,kg,9,USD,"=HYPERLINK(""x"")",CN,,,,,useful,,,,,\r\n' ;;
		3) printf '"toys\nplastic",950300,DE,FR,1,pcs,2,EUR,+Acme,DE,,,,,,export,,EX-1/2026,,\r\n' ;;
		4) printf ' dried clams ,,CN,VN,%d.5,kg,9.25,USD,@sum,,,9020917,PA,,,,,,,\r\n' $i ;;
		5) printf 'laptop computers,847130,CN,US,4,pcs,1800,USD,"Acme ""Trading"" Ltd",US,Ocean Star,,LR,Dandong,,,2026-11-01,,,\r\n' ;;
		6) printf 'crab meat,160510,CN,RU,5,kg,70,USD,Kang Chol Su,,,,,,,,,,,\r\n' ;;
		7) printf -- '-2 refined petroleum,,RU,KP,%d,bbl,%d,EUR,,,,,,,,,,,,\r\n' $((i * 100)) $i ;;
		8) printf '"wigs, human hair",670411,KP,CN,100,kg,5000,CNY,,,,,,,,export,,,,\r\n' ;;
		9) printf ',,,,,,,,,,,,,,,,,,,\r\n' ;; # blank: skipped
		esac
	done
} > "$work/every.csv"

# bad rows, and a bad header
{
	printf 'hs,description,origin,destination,quantity,unit,value,currency\n'
	for i in $(seq 1 400); do printf '030569,salted pollack,KP,CN,%d,t,100,USD\n' "$i"; done
	printf '030569,salted pollack,XX,CN,1,t,100,USD\n'
	printf '0305XX,salted pollack,KP,CN,twelve,tonnes?,1,0,USD\n'
	printf '030569,"salted "pollack,KP,CN,1,t,100,USD\n'
	printf '030569,salted pollack,KP,CN,1,,100,\n'
	printf ',,KP,CN,1,t,100,USD\n'
	for i in $(seq 1 300); do printf '030569,salted pollack,KP,ZZ,%d,t,100,USD\n' "$i"; done
} > "$work/bad.csv"
printf 'hs,descripton,origin,origin\n030569,x,KP,CN\n' > "$work/badheader.csv"

files=$(git ls-files 'examples/*.yaml' 'examples/*.csv' 'plan/testdata/*.csv' 'plan/testdata/*.json' 'plan/testdata/*.yaml' \
	'screen/screentest/testdata/*' 'feasibility/testdata/*.yaml' 'testdata/*.yaml' 'testdata/*.json' 'testdata/*.csv')
files="$files $work/every.csv $work/bad.csv $work/badheader.csv ${decl}"
diffs=0 runs=0
for f in $files; do
	for lists in none real; do
		args=()
		if [ $lists = real ]; then
			[ -n "$decl" ] && [ "$f" = "$decl" ] && continue
			args=(--lists "$data/lists/un/consolidated-2026-02-27.xml" --lists "$data/lists/ofac-2021")
		fi
		for format in csv text json; do
			for b in old new; do
				bin=${!b}
				: > "$work/$b.out"
				"$bin" screen --as-of 2026-11-01 --format $format "${args[@]}" "$f" > "$work/$b.out" 2> "$work/$b.err"
				echo $? > "$work/$b.code"
			done
			runs=$((runs + 1))
			for k in out err code; do
				if ! cmp -s "$work/old.$k" "$work/new.$k"; then
					echo "differs: $f $format lists=$lists ($k)"
					diffs=$((diffs + 1))
				fi
			done
		done
	done
done
# the example plans with each site file (the feasibility block)
for f in $(git ls-files 'examples/*.yaml'); do
	for sites in $(git ls-files 'examples/sites/*.yaml'); do
		for format in csv text json; do
			for b in old new; do
				bin=${!b}
				"$bin" screen --as-of 2026-11-01 --format $format --sites "$sites" "$f" > "$work/$b.out" 2> "$work/$b.err"
				echo $? > "$work/$b.code"
			done
			runs=$((runs + 1))
			for k in out err code; do
				if ! cmp -s "$work/old.$k" "$work/new.$k"; then
					echo "differs: $f --sites $sites $format ($k)"
					diffs=$((diffs + 1))
				fi
			done
		done
	done
done
echo "$runs runs of each binary, $diffs differences"
[ $diffs -eq 0 ]
