// Groups `perf script` samples of the bench:track server (node --perf-basic-prof) into the areas of a click's CPU time.
// Each sample is classified by its stack, innermost frame first: the first frame that names an area decides (a
// kernel write under SQLite's WAL code is the WAL commit, the same syscall under Node's stream code a socket
// write). A few areas win wherever they appear in the stack (garbage collection, the optimising compiler).

/** [group, test on one frame "symbol (dso)"]; tried in this order on each frame, innermost first. */
const FRAME_GROUPS = [
  [
    'SQLite WAL commit',
    (frame) =>
      /sqlite3Wal|walWrite|walIndex|walCheckpoint|walFrame|sqlite3PagerCommit|pagerWalFrames|pager_write|sqlite3PagerSync|sqlite3BtreeCommit|unixSync|full_fsync|fdatasync|fsync/.test(
        frame,
      ) ||
      // the file writes and syncs of the kernel (WAL frames appended, -shm updated)
      /\b(ext4_|xfs_|btrfs_|ovl_|overlay|generic_perform_write|filemap_|iomap_|jbd2|vfs_fsync|file_write|shmem_)/.test(
        frame,
      ),
  ],
  ['SQLite statements', (frame) => /sqlite3|better_sqlite3|better-sqlite3|Statement::JS_|tracker-sqlite/.test(frame)],
  ['HMAC (token check)', (frame) => /Hmac|HMAC|sha256|SHA256|EVP_|platform\/tokens/.test(frame)],
  [
    'socket write',
    (frame) =>
      /\b(tcp_sendmsg|tcp_write_xmit|__tcp_transmit|sock_write_iter|sock_sendmsg|ip_output|ip_finish_output|__dev_queue_xmit|loopback_xmit|net_rx_action|__netif_receive|tcp_v4_rcv|do_writev|uv__try_write|uv_try_write|DoTryWrite|WriteGeneric|writev|writeLatin1String|writeUtf8String|writeBuffer)\b/.test(
        frame,
      ),
  ],
  ['webhook events', (frame) => /platform\/events|eventHub|event-hub|webhook|event-count-hooks/.test(frame)],
  ['listener (fast-path.ts)', (frame) => /tracking\/fast-path/.test(frame)],
  [
    'recorder JS',
    (frame) =>
      /tracking\/(tracker|classify)|db\/event-counts|platform\/(document-id|ip)|lru-cache|ua-parser|isbot/.test(frame),
  ],
  [
    'Node HTTP parser/objects',
    (frame) => /_http_|internal\/http|llhttp|HTTPParser|http_parser|node::http|Parser::/.test(frame),
  ],
  [
    'streams/net/event loop',
    (frame) =>
      /node:(net|stream|internal\/streams|internal\/timers|timers|events|internal\/async_hooks|internal\/process)|uv_run|uv__io_poll|uv__|epoll|tcp_recvmsg|sock_read|LibuvStreamWrap|StreamBase|EmitAfterWrite|OnStreamRead|InternalCallbackScope|MakeCallback|RunTimers|CheckImmediate|\bio_uring|ep_poll|do_epoll|__x64_sys_epoll/.test(
        frame,
      ),
  ],
];

/** Areas that own a sample wherever they appear in its stack. */
const ANYWHERE_GROUPS = [
  [
    'GC',
    (frame) =>
      /Heap::|Scavenge|MarkCompact|Sweeper|ConcurrentMarking|GCTracer|MinorMC|heap::base|cppgc|Evacuat|PagedSpace|MemoryAllocator/.test(
        frame,
      ),
  ],
  [
    'V8 optimiser',
    (frame) =>
      /compiler::|Turbofan|Maglev|OptimizingCompile|Pipeline|Compiler::|BaselineBatchCompiler|sparkplug/.test(frame),
  ],
];

const GROUP_ORDER = [
  'SQLite statements',
  'SQLite WAL commit',
  'Node HTTP parser/objects',
  'streams/net/event loop',
  'socket write',
  'V8 optimiser',
  'GC',
  'recorder JS',
  'HMAC (token check)',
  'webhook events',
  'listener (fast-path.ts)',
  'other',
];

/** The area of one sample, from its frames (innermost first), each "symbol (dso)". */
const groupOf = (frames) => {
  for (const [group, test] of ANYWHERE_GROUPS) if (frames.some(test)) return group;
  for (const frame of frames) {
    for (const [group, test] of FRAME_GROUPS) if (test(frame)) return group;
  }
  return 'other';
};

/**
 * Reads `perf script -F tid,period,ip,sym,dso` output (samples separated by blank lines, the first line the header,
 * then one frame a line) and sums periods per group and per innermost symbol.
 */
const summarise = (text) => {
  const byGroup = new Map();
  const bySymbol = new Map();
  let total = 0;
  for (const block of text.split(/\n\s*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    const period = Number(lines[0].trim().split(/\s+/)[1]) || 0;
    const frames = lines.slice(1).map((line) => line.trim().replace(/^[0-9a-f]+\s+/, ''));
    if (frames.length === 0) continue;
    const group = groupOf(frames);
    byGroup.set(group, (byGroup.get(group) || 0) + period);
    bySymbol.set(frames[0], (bySymbol.get(frames[0]) || 0) + period);
    total += period;
  }
  return { byGroup, bySymbol, total };
};

module.exports = { FRAME_GROUPS, ANYWHERE_GROUPS, GROUP_ORDER, groupOf, summarise };
