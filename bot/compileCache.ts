// Imported first by bot/index.ts: Node.js keeps the compiled code of the modules the bot loads (botbuilder and
// the rest, most of the start-up time) in a cache on disk (the system's temporary directory, or
// NODE_COMPILE_CACHE), so that later starts skip compiling them. A cache that cannot be written changes nothing.
import { enableCompileCache } from 'node:module';

enableCompileCache();
