/*
 * date.h - civil calendar helpers (date.c, proleptic Gregorian), besides
 * the public ni_date_parse / ni_date_format.
 */
#ifndef NI_DATE_H
#define NI_DATE_H

#include <stdint.h>

/* Days from 1970-01-01 to y-m-d; days in month m of year y. */
int64_t ni_days_from_civil(int64_t y, unsigned m, unsigned d);
unsigned ni_days_in_month(int64_t y, unsigned m);
/* The civil date y-m-d of day z from 1970-01-01 (its inverse). */
void ni_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
