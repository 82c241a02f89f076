/** A one-line progress indicator on stderr (a spinner on a terminal, plain lines otherwise). */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
	const tty = process.stderr.isTTY === true;
	const started = Date.now();
	let frame = 0;
	const timer = tty ? setInterval(() => process.stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label}`), 80) : undefined;
	if (!tty) process.stderr.write(`… ${label}\n`);
	try {
		const result = await work();
		const seconds = ((Date.now() - started) / 1000).toFixed(1);
		process.stderr.write(`${tty ? '\r' : ''}✔ ${label} (${seconds} s)${tty ? '\u001b[K' : ''}\n`);
		return result;
	} catch (error) {
		process.stderr.write(`${tty ? '\r' : ''}✘ ${label}\n`);
		throw error;
	} finally {
		if (timer) clearInterval(timer);
	}
}
