// npm run ledger:checkpoint — runs the log's sequencer once: leaves for the
// settled events, then a signed checkpoint if the tree grew (`npm start` does
// this every second). Needs the log key (LEDGER_SIGNING_KEY[_FILE]).
import { runLedgerCommand } from "./lib/ledger-command";
import { sequenceAndSign } from "../lib/ledger/log/sequencer";
import { logSigner, logVerifiers } from "../lib/ledger/log/signing-key";

runLedgerCommand(import.meta.url, async (pool) => {
  const run = await sequenceAndSign(pool, { signer: logSigner(), verifiers: logVerifiers() });
  for (const refused of run.refused) console.error(`NO LEAF for event ${refused.eventId}: ${refused.reason}`);
  console.log(
    run.signed
      ? `Checkpoint at tree size ${run.signed.treeSize} (${run.sequenced} new leaves), root ${run.signed.rootHash}`
      : `No new events: the latest checkpoint (tree size ${run.treeSize}) stands.`,
  );
  process.exitCode = run.refused.length ? 1 : 0;
});
