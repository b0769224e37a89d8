// A worker entry that throws while loading: the runtime must reject, not hang.
throw new Error('this worker fails to load on purpose');
