// gradcheck without fast-check installed: the testing entry needs nothing
// else, and the property entry says which peer dependency it needs.
import { tensor } from '@chainrule/core';
import { allClose, gradcheck } from '@chainrule/core/testing';

const report = gradcheck((a) => a.mul(a).sin().sum(), [tensor([0.3, -1.2, 2], { dtype: 'float64' })]);
let properties;
try {
  await import('@chainrule/core/testing/properties');
  properties = 'loaded';
} catch (e) {
  properties = String(e.message);
}
console.log(JSON.stringify({ passed: report.ok, close: allClose([1, 2], [1, 2 + 1e-9]).pass, properties }));
