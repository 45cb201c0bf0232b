#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only OR BSD-2-Clause
# Run a Criterion test binary with TAP output for automake's TAP driver.
exec "$@" --tap=- --ascii -S
