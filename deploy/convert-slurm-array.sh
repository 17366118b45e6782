#!/bin/bash
# Converts a collection's scans on a Slurm cluster: one array task per shard, `--shard I/N`.
# Submit:   sbatch --array=0-15 deploy/convert-slurm-array.sh /shared/collection
# Then:     vitrine collection convert --catalog /shared/collection/catalog.db --store /shared/collection/store
#           (no shard: finds every pack in the store and records them all in the catalog)
# A task that is killed or preempted can be resubmitted (sbatch --array=7 ...); it resumes.
#SBATCH --job-name=vitrine-convert
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --time=04:00:00
#SBATCH --requeue
set -euo pipefail
collection="${1:?usage: convert-slurm-array.sh COLLECTION_DIR}"
shards="${SLURM_ARRAY_TASK_COUNT:?run as a job array}"
shard="${SLURM_ARRAY_TASK_ID}"
# each task converts from its own copy of the catalog: SQLite on a network filesystem is unsafe
work="${TMPDIR:-/tmp}/vitrine-${SLURM_ARRAY_JOB_ID}-${shard}"
mkdir -p "$work"
cp "$collection/catalog.db" "$work/catalog.db"
exec vitrine collection convert --catalog "$work/catalog.db" --store "$collection/store" \
    --shard "${shard}/${shards}" --jobs "${SLURM_CPUS_PER_TASK:-0}"
