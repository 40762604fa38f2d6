# The search for the least loss runs with a small effort in the tests:
# every pattern it returns is protected whatever its effort (it starts from
# the greedy pattern and keeps only protected ones), and its optimality is
# tested on its own (test-suppress-optimal.R, with no limit). At the
# default effort the reports of the tests searched for minutes more.
options(equityaudit.search_effort = 300)
