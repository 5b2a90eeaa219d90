#!/usr/bin/env bash
echo "stack: not written yet" >&2; exit 1
