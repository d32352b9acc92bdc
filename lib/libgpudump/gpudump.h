/* SPDX-License-Identifier: MIT */
/**
 * @file gpudump.h
 * @brief libgpudump: decode GPU hang dumps (xe devcoredumps of every era, i915 error states,
 * the gpudump reference driver's zstd variant, amdgpu/msm/panfrost/etnaviv) into one model
 * and into JSON that follows schemas/gpudump-report.schema.json.
 *
 * Conventions (the same for every function here):
 * - Functions that can fail return a negative errno; 0 (or a positive count) on success.
 * - Objects are opaque. struct gpudump_dump is reference counted; the engines, contexts, VMAs
 *   and blobs it hands out are borrowed and stay valid for as long as the dump is referenced.
 * - Strings returned as `const char *` are borrowed the same way; may be NULL when the dump
 *   does not carry that field.
 * - Everything returned through `char **` or `void **` is owned by the caller (free()).
 * - The library keeps no global state and never logs; all functions are re-entrant. One dump
 *   object may be read from several threads at once (lazy decoding is internally locked).
 */
#ifndef GPUDUMP_H
#define GPUDUMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The job seqno gpudump_context_get_job() gives for a job line that carries none. Every
 * 32-bit value is a real seqno (they are printed with %d and a new xe queue starts at -127),
 * so absence is a value outside that range.
 */
#define GPUDUMP_SEQNO_NONE INT64_MIN

/** A decoded dump. Opaque, reference counted. */
struct gpudump_dump;
/** One hardware engine of a dump (borrowed from its dump). */
struct gpudump_engine;
/** One context / exec queue of a dump (borrowed from its dump). */
struct gpudump_context;
/** One captured GPU virtual address range or i915 buffer object (borrowed from its dump). */
struct gpudump_vma;

/** Dump formats, detected from content only (never from the file name). */
enum gpudump_format {
        GPUDUMP_FORMAT_UNKNOWN = 0,
        GPUDUMP_FORMAT_XE,       /**< xe devcoredump (and the reference driver's zstd variant) */
        GPUDUMP_FORMAT_I915,     /**< i915 error state */
        GPUDUMP_FORMAT_AMDGPU,
        GPUDUMP_FORMAT_MSM,
        GPUDUMP_FORMAT_PANFROST,
        GPUDUMP_FORMAT_ETNAVIV,
};

/** Flags for the gpudump_dump_new_*() functions. */
enum gpudump_open_flags {
        /** Do not run the analysis pass (blamed engine, hung instruction, signature). */
        GPUDUMP_OPEN_NO_ANALYSIS = 1 << 0,
        /** Hash VMA and blob contents while parsing, on the dump's threads (see
         *  GPUDUMP_OPEN_THREADS()), for a report that hashes them: each page of the input is then
         *  read once, and the hashing overlaps the parse. gpudump_dump_to_json() uses the hashes
         *  (the report is the same with or without this flag). */
        GPUDUMP_OPEN_HASH = 1 << 1,
};

/** Open flag: use @p n threads (1 to 64) from the start, as gpudump_dump_set_threads(). */
#define GPUDUMP_OPEN_THREADS(n) (((unsigned)(n) & 0x7fu) << 8)

/** Flags for gpudump_dump_to_json(). */
enum gpudump_json_flags {
        GPUDUMP_JSON_PRETTY = 1 << 0,           /**< indented output instead of one line */
        GPUDUMP_JSON_INCLUDE_VMA_DATA = 1 << 1, /**< add each VMA's and blob's bytes (base64) */
        GPUDUMP_JSON_NO_SHA256 = 1 << 2,        /**< skip hashing VMA contents (faster) */
};

/** Severity of a diagnostic. */
enum gpudump_severity {
        GPUDUMP_SEVERITY_INFO = 0,
        GPUDUMP_SEVERITY_WARNING,
        GPUDUMP_SEVERITY_ERROR,
};

/**
 * Decode the dump stored at @p path. Regular files are mapped, not read; zstd-compressed files
 * (detected by their magic) are decompressed transparently.
 *
 * @param path file to read
 * @param flags a mask of enum gpudump_open_flags
 * @param ret the new dump (one reference) on success
 * @return 0, or a negative errno: -ENOENT/-EACCES/... from open(), -ENOMEM, -EIO for a corrupt
 *         compressed container. A file that is not a dump is NOT an error: it decodes as
 *         GPUDUMP_FORMAT_UNKNOWN. A damaged dump decodes as far as it goes, with diagnostics.
 */
int gpudump_dump_new_from_path(const char *path, unsigned flags, struct gpudump_dump **ret);

/**
 * Decode the dump readable from @p fd. Regular files are mapped; anything else (pipes, sysfs
 * files that report size 0) is read until EOF. The fd is not closed and its offset may move.
 * @see gpudump_dump_new_from_path()
 */
int gpudump_dump_new_from_fd(int fd, unsigned flags, struct gpudump_dump **ret);

/**
 * Decode @p size bytes at @p data. The bytes are copied unless they are zstd-compressed, in which
 * case they are decompressed into memory the dump owns.
 * @see gpudump_dump_new_from_path()
 */
int gpudump_dump_new_from_memory(const void *data, size_t size, unsigned flags,
                                 struct gpudump_dump **ret);

/**
 * @return the number of dumps the input holds. A bare dump (the input starts the way a dump
 * does: a devcoredump, an error state, a binary dump) is 1. Other text (a mail with its headers,
 * quoted-printable or base64 parts and `> ` quoting; a markdown or forum post with code fences,
 * HTML and prose around; a kernel log with dmesg, syslog or journalctl prefixes, interleaved
 * lines and wrapped records; CRLF) is searched for dumps, and the count is how many were found;
 * 0 when the input holds none (its format is then GPUDUMP_FORMAT_UNKNOWN).
 *
 * The gpudump_dump_new_*() functions decode the first dump found; the others are decoded by
 * gpudump_dump_new_embedded(). A found dump's diagnostics give offsets and lines of the input as
 * it was given, and its report has a `source` object (docs/report.md).
 */
size_t gpudump_dump_get_n_embedded(struct gpudump_dump *dump);

/** @return which of the input's dumps @p dump is (0 for the first, and for a bare dump). */
size_t gpudump_dump_get_embedded_index(struct gpudump_dump *dump);

/**
 * Where dump @p index of the input that @p dump was decoded from lies.
 * @param ret_first_line 1-based line of the input where it starts; may be NULL
 * @param ret_last_line its last line; may be NULL
 * @return 0, -ERANGE when the input holds no dump @p index, -EINVAL when @p dump is NULL
 */
int gpudump_dump_get_embedded_lines(struct gpudump_dump *dump, size_t index, uint64_t *ret_first_line,
                                    uint64_t *ret_last_line);

/**
 * Decode dump @p index (0-based, below gpudump_dump_get_n_embedded()) of the input @p dump was
 * decoded from. The new dump shares that input (it holds a reference to the dump that read it),
 * so nothing is read or searched again.
 * @param flags a mask of enum gpudump_open_flags
 * @param ret the new dump (one reference) on success
 * @return 0, -ERANGE when the input holds no dump @p index, -EINVAL, -ENOMEM
 */
int gpudump_dump_new_embedded(struct gpudump_dump *dump, size_t index, unsigned flags,
                              struct gpudump_dump **ret);

/** Take a reference. Accepts NULL. @return @p dump */
struct gpudump_dump *gpudump_dump_ref(struct gpudump_dump *dump);
/** Drop a reference, freeing the dump with the last one. Accepts NULL. @return NULL */
struct gpudump_dump *gpudump_dump_unref(struct gpudump_dump *dump);

/**
 * Set how many threads gpudump_dump_to_json() may use to decode and hash VMA contents. The
 * threads belong to that call (started and joined by it); the report is the same whatever the
 * count.
 * @param threads 1 or more; 0 (the default) means the environment's GPUDUMP_THREADS when it
 *        is a positive number, else the number of online CPUs (at most 64 either way)
 * @return 0, or -EINVAL when @p dump is NULL
 */
int gpudump_dump_set_threads(struct gpudump_dump *dump, unsigned threads);

/** @return the detected format. */
enum gpudump_format gpudump_dump_get_format(struct gpudump_dump *dump);
/** @return "xe", "i915", "amdgpu", "msm", "panfrost", "etnaviv" or "unknown". */
const char *gpudump_format_to_string(enum gpudump_format format);
/** @return size in bytes of the (decompressed) input (for a dump found inside other text, of
 * the whole input). */
uint64_t gpudump_dump_get_size(struct gpudump_dump *dump);
/** @return 1 when the input holds no error (i915 "No error state collected"), else 0. */
int gpudump_dump_is_empty(struct gpudump_dump *dump);

/** @return the hang reason line (xe `Reason:`, i915 `GPU HANG:` message), or NULL. */
const char *gpudump_dump_get_reason(struct gpudump_dump *dump);
/** @return the kernel release, or NULL. */
const char *gpudump_dump_get_kernel(struct gpudump_dump *dump);
/** @return the kernel module / driver name ("xe", "i915", "vxe", ...), or NULL. */
const char *gpudump_dump_get_driver(struct gpudump_dump *dump);
/** @return the guilty process name, or NULL. */
const char *gpudump_dump_get_process_name(struct gpudump_dump *dump);
/** @return the guilty process id, or -1 when unknown. */
int64_t gpudump_dump_get_process_pid(struct gpudump_dump *dump);
/** @return the PCI device id, or -1 when unknown. */
int gpudump_dump_get_pci_id(struct gpudump_dump *dump);
/** @return the PCI revision, or -1 when unknown. */
int gpudump_dump_get_pci_revision(struct gpudump_dump *dump);
/**
 * @return the stable hang signature (docs/signature.md): equal for the same hang in two runs,
 * different for different hangs; never NULL (an unknown dump gets a signature of its size class).
 */
const char *gpudump_dump_get_signature(struct gpudump_dump *dump);
/** @return the engine the dump blames, or NULL when nothing can be blamed. */
struct gpudump_engine *gpudump_dump_get_blamed_engine(struct gpudump_dump *dump);

/** @return the number of diagnostics (errors, warnings and notes about the input). */
size_t gpudump_dump_get_n_diagnostics(struct gpudump_dump *dump);
/**
 * Read diagnostic @p index. Any out-pointer may be NULL.
 * @param ret_offset byte offset in the (decompressed) input
 * @param ret_line 1-based line number in the input, 0 for binary formats
 * @param ret_message borrowed message text
 * @return 0, or -ERANGE for a bad index
 */
int gpudump_dump_get_diagnostic(struct gpudump_dump *dump, size_t index,
                                enum gpudump_severity *ret_severity, uint64_t *ret_offset,
                                uint64_t *ret_line, const char **ret_message);

/** @return the number of engines, in dump order. */
size_t gpudump_dump_get_n_engines(struct gpudump_dump *dump);
/** @return engine @p index, or NULL when out of range. */
struct gpudump_engine *gpudump_dump_get_engine(struct gpudump_dump *dump, size_t index);
/** @return the engine name as printed ("rcs0", "ccs1", ...). */
const char *gpudump_engine_get_name(struct gpudump_engine *engine);
/** @return the engine class ("render", "copy", "video", "video-enhance", "compute", "other"), or NULL. */
const char *gpudump_engine_get_class(struct gpudump_engine *engine);
/** @return the physical instance, or -1. */
int gpudump_engine_get_instance(struct gpudump_engine *engine);
/** @return 1 when the dump blames this engine, else 0. */
int gpudump_engine_is_blamed(struct gpudump_engine *engine);
/** @return the number of registers, in dump order. */
size_t gpudump_engine_get_n_registers(struct gpudump_engine *engine);
/**
 * Read register @p index, in dump order. Any out-pointer may be NULL.
 *
 * @p ret_name is the name as printed, including `[n]` indices, with one exception: older
 * kernels (v6.8 to v6.13) print some 64-bit registers as two 32-bit lines, `NAME_LO` and
 * `NAME_HI` (either order) or `NAME` and `NAME_UDW`, within a few lines of each other; each
 * such pair is combined into one 64-bit register named `NAME` (the high half from `_HI`/`_UDW`),
 * at the place of the pair's first line, as newer kernels print it. A value printed as two words joined by `_` (v6.8
 * `ACTHD: 0x%08x_%08x`, upper word first) is one 64-bit value. A name printed twice (v6.8 prints
 * MI_MODE and MODE both as `RING_MODE`) is two registers of the same name.
 *
 * @p ret_width is 64 for a value printed with more than 8 hex digits or combined as above,
 * else 32.
 * @return 0, -ERANGE for a bad index, -EINVAL when @p engine is NULL
 */
int gpudump_engine_get_register(struct gpudump_engine *engine, size_t index, const char **ret_name,
                                uint64_t *ret_value, unsigned *ret_width);
/**
 * Look up a register by name, as gpudump_engine_get_register() names it (a combined `_LO`/`_HI`
 * or `_UDW` pair by its `NAME`). A name printed twice gives its first value.
 * @return 0, -ENOENT, or -EINVAL when @p engine or @p name is NULL
 */
int gpudump_engine_find_register(struct gpudump_engine *engine, const char *name, uint64_t *ret_value);

/** @return the number of contexts / exec queues. */
size_t gpudump_dump_get_n_contexts(struct gpudump_dump *dump);
/** @return context @p index, or NULL. */
struct gpudump_context *gpudump_dump_get_context(struct gpudump_dump *dump, size_t index);
/** @return the GuC id, or -1 when the format has none. */
int64_t gpudump_context_get_guc_id(struct gpudump_context *ctx);
/**
 * Read the seqno of the context's last completed job (the HWSP seqno of its first LRC).
 * Seqnos may be negative: a new xe queue starts at -127, so -1 is a real seqno.
 * @param ret_seqno receives the seqno; may be NULL to test for presence
 * @return 0; -ENODATA when the dump carries no seqno for the context; -EINVAL when @p ctx is NULL
 */
int gpudump_context_get_seqno(struct gpudump_context *ctx, int64_t *ret_seqno);
/**
 * Read the seqno of the context's last started job (the HWSP start seqno of its first LRC).
 * May be negative, as for gpudump_context_get_seqno().
 * @param ret_seqno receives the seqno; may be NULL to test for presence
 * @return 0; -ENODATA when the dump carries no start seqno for the context; -EINVAL when
 *         @p ctx is NULL
 */
int gpudump_context_get_start_seqno(struct gpudump_context *ctx, int64_t *ret_seqno);
/** @return the number of jobs in the scheduler's pending list. */
size_t gpudump_context_get_n_jobs(struct gpudump_context *ctx);
/**
 * Read job @p index (oldest first). Any out-pointer may be NULL.
 * @param ret_seqno the job's seqno (may be negative), or GPUDUMP_SEQNO_NONE when its line
 *        carries none
 * @param ret_fence_signaled 1 or 0, -1 when not printed
 * @param ret_finished 1 or 0, -1 when not printed
 * @return 0, -ERANGE for a bad index, -EINVAL when @p ctx is NULL
 */
int gpudump_context_get_job(struct gpudump_context *ctx, size_t index, int64_t *ret_seqno,
                            int *ret_fence_signaled, int *ret_finished);

/** @return the number of VMAs / buffers, in ascending address order. */
size_t gpudump_dump_get_n_vmas(struct gpudump_dump *dump);
/** @return VMA @p index, or NULL. */
struct gpudump_vma *gpudump_dump_get_vma(struct gpudump_dump *dump, size_t index);
/** @return the VMA that starts exactly at @p address, or NULL. */
struct gpudump_vma *gpudump_dump_find_vma(struct gpudump_dump *dump, uint64_t address);
/** @return the GPU virtual address (i915: GTT offset) of the range's start. */
uint64_t gpudump_vma_get_address(struct gpudump_vma *vma);
/**
 * @return the length in bytes that the dump declares. i915 zlib (`:`) objects declare none: for
 * them, the length their contents inflate to (decoded once on first use, then cached), or 0 when
 * they do not decode.
 */
uint64_t gpudump_vma_get_length(struct gpudump_vma *vma);
/** @return the negative errno the kernel printed instead of contents, or 0. */
int gpudump_vma_get_error(struct gpudump_vma *vma);
/** @return the i915 object kind ("batch", "ring", "user", ...), or NULL. */
const char *gpudump_vma_get_kind(struct gpudump_vma *vma);
/** @return the i915 engine the object was captured on, or NULL. */
const char *gpudump_vma_get_engine(struct gpudump_vma *vma);
/**
 * Decode the VMA's contents (ascii85, zlib, zstd, hex words: whatever the dump used).
 * @param ret_data newly allocated bytes, owned by the caller
 * @param ret_size their number
 * @return 0; -ENODATA when the dump carries no contents for it (error line, no data);
 *         -EBADMSG when the encoding is damaged (the diagnostic says where); -ENOMEM
 */
int gpudump_vma_read(struct gpudump_vma *vma, void **ret_data, size_t *ret_size);

/**
 * Copy @p size bytes of GPU memory starting at virtual address @p va out of the captured VMAs,
 * crossing VMA boundaries where the VMAs are contiguous. O(log n) in the number of VMAs.
 * @return 0; -ENOENT when some byte of the range was not captured; errors of gpudump_vma_read()
 */
int gpudump_dump_read_va(struct gpudump_dump *dump, uint64_t va, void *buf, size_t size);

/**
 * Decode a named blob: "LOG", "CTB", "HWSP", "HWCTX" (xe; HWSP/HWCTX of the first context that
 * has them), i915 object kinds such as "ring" or "HW context" (first engine that has one).
 * @return 0; -ENOENT when the dump has no such blob; -ENODATA, -EBADMSG, -ENOMEM as for VMAs
 */
int gpudump_dump_read_blob(struct gpudump_dump *dump, const char *name, void **ret_data,
                           size_t *ret_size);

/**
 * Render the report as JSON following schemas/gpudump-report.schema.json.
 * @param flags a mask of enum gpudump_json_flags
 * @param ret_json NUL-terminated text, owned by the caller
 * @return 0, or -ENOMEM
 */
int gpudump_dump_to_json(struct gpudump_dump *dump, unsigned flags, char **ret_json);

/** Flags for gpudump_dump_disasm_to_json(). */
enum gpudump_disasm_flags {
        GPUDUMP_DISASM_PRETTY = 1 << 0,     /**< indented output instead of one line */
        GPUDUMP_DISASM_AT_ADDRESS = 1 << 1, /**< only the buffer at the address given */
};

/**
 * List every instruction of every ring and batch buffer the dump captured (i915 ring and batch
 * objects, xe job batches, rings found by an engine's RING_START), following
 * MI_BATCH_BUFFER_START into chained (first-level: the batch ends there) and second-level
 * (the listing goes on after the call) batches, each buffer once. Rings are listed whole from
 * their start, with the engine's head and tail marked; batches up to MI_BATCH_BUFFER_END.
 *
 * The JSON follows schemas/gpudump-disasm.schema.json: `{"buffers": [{"address", "kind",
 * "engine", "from", "depth", "size", "head", "tail", "end", "instructions": [...]}],
 * "notes": [...]}`, each instruction the object of the report's `analysis.ring.instructions`
 * (`address`, `dwords`, `name`, `type`, `length`, `unknown`, `fields`, `hung`).
 *
 * @param address with GPUDUMP_DISASM_AT_ADDRESS: list only the buffer at this GPU address
 *        (from there to its end, and what it chains to)
 * @param flags a mask of enum gpudump_disasm_flags
 * @param ret_json NUL-terminated text, owned by the caller
 * @return 0; -ENOENT with GPUDUMP_DISASM_AT_ADDRESS when no captured buffer holds @p address;
 *         -EINVAL, -ENOMEM
 */
int gpudump_dump_disasm_to_json(struct gpudump_dump *dump, uint64_t address, unsigned flags,
                                char **ret_json);

/** @return the version of the report schema that gpudump_dump_to_json() follows. */
int gpudump_report_schema_version(void);

#ifdef __cplusplus
}
#endif

#endif /* GPUDUMP_H */
