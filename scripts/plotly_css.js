// Writes plotly.js's own stylesheet (the rules its bundle would otherwise insert into a <style>
// element it adds to the page, which a strict Content-Security-Policy refuses) to a CSS file.
// plotly.js leaves those rules out when the page has a stylesheet with the id
// "plotly.js-style-global" and the class "no-inline-styles" (plotly.js pull request 7109); since
// its 3.x bundles ship no plotly.css, the rules are read from the pinned bundle itself.
//   node scripts/plotly_css.js BUNDLE OUT.css
"use strict";
const fs = require("fs");

const [bundle, out] = process.argv.slice(2);
const src = fs.readFileSync(bundle, "utf8");
// for(k in rules)sel=k.replace(/^,/," ,").replace(/X/g,"<plot>").replace(/Y/g,"<notifier>"),...
const loop =
  /for\((\w+) in ([\w$]+)\)[\w$]+=\1\.replace\(\/\^,\/," ,"\)\.replace\(\/X\/g,"([^"]+)"\)\.replace\(\/Y\/g,"([^"]+)"\)/.exec(
    src,
  );
if (!loop) {
  console.error(`${bundle}: plotly.js's style rules were not found (a new version?)`);
  process.exit(1);
}
const [, , name, plot, notifier] = loop;
const start = src.lastIndexOf(`${name}={`, loop.index) + name.length + 1;
const end = src.lastIndexOf("}", loop.index) + 1;
const rules = Function(`return ${src.slice(start, end)}`)();
// plotly.js inserts each rule at the top of its sheet, so the last one given comes first.
const css = Object.entries(rules)
  .reverse()
  .map(([selector, body]) => {
    const full = selector.replace(/^,/, " ,").replace(/X/g, plot).replace(/Y/g, notifier);
    return `${full}{${body}}`;
  })
  .join("\n");
fs.writeFileSync(out, `${css}\n`);
