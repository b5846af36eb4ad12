import { Cluster } from "../test/helpers/cluster.js";
const c = await Cluster.start({});
const a = await c.start("api");
const w = await c.start("worker");
console.log(JSON.stringify((await c.health(a)).body), JSON.stringify((await c.health(w)).body));
await new Promise((r) => setTimeout(r, 3000));
console.log(JSON.stringify((await c.health(a)).body));
console.log(w.log().slice(-1500));
await c.close();
