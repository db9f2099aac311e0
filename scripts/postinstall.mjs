#!/usr/bin/env node
// After `npm install`: one line on which Node runs what. npm may run on an
// older Node (the warnings about it are silenced in .npmrc), while every npm
// script runs on the Node 22 of the `node` dev dependency, first on their PATH.
const npmNode = /\bnode\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? '')?.[1]
const scripts = process.version
const note =
  npmNode && npmNode !== scripts
    ? `npm ran on Node ${npmNode}; npm start, npm test and the other npm scripts run on Node ${scripts} (the "node" dev dependency).`
    : `npm scripts run on Node ${scripts}.`
console.log(`lodestone: ${note}`)
