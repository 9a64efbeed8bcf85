// npm run ledger:witness -- add <verifier key>   registers a witness whose cosignatures the log accepts
// npm run ledger:witness -- list                  which witnesses have seen which tree size
import { runLedgerCommand } from "./lib/ledger-command";

runLedgerCommand(import.meta.url, async () => {
  const { addWitness, witnessOverview } = await import("../lib/ledger/log/public-log");
  const [command, key] = process.argv.slice(2);
  if (command === "add" && key) {
    const added = await addWitness(key, null);
    if (!added.ok) {
      console.error(added.message);
      process.exitCode = 1;
      return;
    }
    console.log(`Witness ${key.split("+")[0]} registered (id ${added.data.id}).`);
  } else if (command === "list") {
    for (const w of await witnessOverview())
      console.log(
        `${w.name}  latest tree size ${w.latestSize ?? "none"}  (${w.cosignatures} cosignatures)  ${w.vkey}`,
      );
  } else {
    console.error("Usage: npm run ledger:witness -- add <verifier key> | list");
    process.exitCode = 1;
  }
});
