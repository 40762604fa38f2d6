/* init.c: registration of every native routine of equityaudit. */
#include "equityaudit.h"
#include <R_ext/Rdynload.h>

static const R_CallMethodDef call_methods[] = {
  {"ea_tabulate",    (DL_FUNC) &ea_tabulate,    7},
  {"ea_group_moments", (DL_FUNC) &ea_group_moments, 4},
  {"ea_chisq",       (DL_FUNC) &ea_chisq,       4},
  {"ea_chisq_gof",   (DL_FUNC) &ea_chisq_gof,   3},
  {"ea_exact_2xk",   (DL_FUNC) &ea_exact_2xk,   4},
  {"ea_monte_carlo", (DL_FUNC) &ea_monte_carlo, 4},
  {"ea_cmh",         (DL_FUNC) &ea_cmh,         3},
  {"ea_simulate_rates", (DL_FUNC) &ea_simulate_rates, 4},
  {"ea_first_bad_count", (DL_FUNC) &ea_first_bad_count, 1},
  {"ea_interval_bounds", (DL_FUNC) &ea_interval_bounds, 5},
  {"ea_connected_parts", (DL_FUNC) &ea_connected_parts, 3},
  {"ea_tost_newcombe", (DL_FUNC) &ea_tost_newcombe, 5},
  {"ea_siphash",     (DL_FUNC) &ea_siphash,     2},
  {"ea_cell_key_hash", (DL_FUNC) &ea_cell_key_hash, 2},
  {NULL, NULL, 0}
};

void R_init_equityaudit(DllInfo *dll) {
  R_registerRoutines(dll, NULL, call_methods, NULL, NULL);
  R_useDynamicSymbols(dll, FALSE);
  R_forceSymbols(dll, TRUE);
}
